/**
 * DOM building without HTML parsing. Every child string becomes a text node and every attribute goes through
 * setAttribute, so a value can never turn into markup: this is how the explorer escapes saga data, which is user
 * input. Nothing in the explorer assigns innerHTML.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An HTML element: `h('a', { href, class: 'x', dataset: { id }, onClick }, 'text', child, [more])`. */
export function h(tag, attributes, ...children) {
  return build(document.createElement(tag), attributes, children);
}

/** An SVG element, with the same conventions as {@link h}. */
export function s(tag, attributes, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attributes, children);
}

/** Appends children: strings and numbers as text, nodes as they are; null, undefined and false are skipped. */
export function append(element, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** Replaces the content of `element`. */
export function replace(element, ...children) {
  element.replaceChildren();
  return append(element, ...children);
}

function build(element, attributes, children) {
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'dataset') {
      for (const [key, data] of Object.entries(value)) {
        if (data !== null && data !== undefined) element.dataset[key] = String(data);
      }
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  return append(element, children);
}
