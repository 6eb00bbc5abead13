/**
 * A confirmation in a modal `<dialog>`: what the action does, an optional or required text field, and the API's
 * own error message when it refuses (409 and the like), shown in the dialog so that the operator can read it.
 */
import { ApiError } from './api.js';
import { h } from './dom.js';

/**
 * Opens the dialog and resolves with the action's result, or with `undefined` when the operator backs out.
 * @param {object} options
 * @param {string} options.action - a machine name, on `data-action` (cancel, retry, resolve)
 * @param {string} options.title
 * @param {(string|Node)[]} options.body - what the action will do
 * @param {{ label: string, name: string, required?: boolean, placeholder?: string }} options.field
 * @param {string} options.confirmLabel
 * @param {boolean} [options.danger]
 * @param {(text: string) => Promise<unknown>} options.run - calls the API
 */
export function confirmAction({ action, title, body, field, confirmLabel, danger = false, run }) {
  return new Promise((resolve) => {
    const textarea = h('textarea', {
      name: field.name,
      rows: 3,
      maxlength: 2000,
      required: field.required ?? false,
      placeholder: field.placeholder,
    });
    const error = h('p', { class: 'dialog-error', role: 'alert', hidden: true });
    const confirm = h('button', { type: 'submit', class: danger ? 'button danger' : 'button primary' }, confirmLabel);
    const back = h('button', { type: 'button', class: 'button', value: 'back' }, 'Back');
    const form = h(
      'form',
      { method: 'dialog' },
      h('h2', {}, title),
      h('div', { class: 'dialog-body' }, body),
      h(
        'label',
        { class: 'field' },
        h('span', {}, field.label, field.required ? ' (required)' : ' (optional)'),
        textarea,
      ),
      error,
      h('div', { class: 'dialog-buttons' }, back, confirm),
    );
    const dialog = h('dialog', { class: 'confirm', dataset: { action } }, form);
    let result;

    back.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(result);
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const text = textarea.value.trim();
      if (field.required && !text) {
        error.hidden = false;
        error.textContent = `${field.label} is required.`;
        textarea.focus();
        return;
      }
      confirm.disabled = back.disabled = true;
      confirm.textContent = 'Working…';
      error.hidden = true;
      try {
        result = await run(text);
        dialog.close();
      } catch (failure) {
        error.hidden = false;
        error.textContent =
          failure instanceof ApiError ? failure.describe() : `The request failed: ${failure && failure.message}`;
        confirm.disabled = back.disabled = false;
        confirm.textContent = confirmLabel;
      }
    });

    document.body.append(dialog);
    dialog.showModal();
    textarea.focus();
  });
}
