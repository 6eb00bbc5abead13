/**
 * One saga: its status and the actions its state allows, the timeline of its attempts, waits and compensations
 * with the history beneath it, each step's output and error, and its input. A live saga (running, waiting,
 * compensating) is read again as soon as its lifecycle events say it changed (`GET /sagas/:id/events`), and every
 * few seconds besides, which also covers a deployment without lifecycle events.
 */
import { API_ROOT, ApiError, sagaApi } from './api.js';
import { LIVE_STATUSES, alertBox, errorBox, jsonBlock, statusBadge, statusLabel, timeText } from './components.js';
import { confirmAction } from './confirm-dialog.js';
import { h, replace } from './dom.js';
import { formatDuration, formatSpan, formatTime, toMs } from './format.js';
import { buildTimeline, legendItems, renderTimeline, swatch } from './timeline.js';

/** How often a live saga is read again: a running one changes fast, a waiting one may wait for days. */
const REFRESH_MS = { running: 1_500, compensating: 1_500, waiting: 5_000, queued: 3_000 };

/**
 * Renders the saga `id` into `root`.
 * @param {{ base: string, signal: AbortSignal }} context
 */
export async function sagaPage(root, id, { base, signal, navigate }) {
  replace(root, h('p', { class: 'placeholder' }, 'Loading…'));
  let shown = '';
  let timer;
  let redraw; // draws the timeline of the saga shown again, up to now
  // The zoom of the timeline, kept while the page is drawn again.
  const view = { range: undefined };
  signal.addEventListener('abort', () => clearTimeout(timer));
  followEvents(id, signal, () => load());

  const load = async () => {
    clearTimeout(timer);
    let saga;
    try {
      saga = await sagaApi.get(id, signal);
    } catch (error) {
      if (signal.aborted || error.name === 'AbortError') return;
      if (error instanceof ApiError && error.status === 404) {
        document.title = 'Saga not found · sagaflow explorer';
        replace(root, crumbs(base, 'not found'), alertBox(`No saga has the id ${id}.`));
        return;
      }
      // A failed refresh keeps the page and says so; a failed first load has nothing else to show.
      if (!shown)
        replace(root, crumbs(base, id), alertBox(error instanceof ApiError ? error.describe() : error.message));
      timer = setTimeout(load, 5_000);
      return;
    }
    if (signal.aborted) return;
    const version = `${saga.updatedAt}|${saga.status}|${saga.history?.length}`;
    if (version !== shown) {
      const scroll = window.scrollY;
      redraw = render(root, saga, { base, reload: load, view, navigate });
      window.scrollTo({ top: scroll });
      shown = version;
    } else if (LIVE_STATUSES.has(saga.status)) {
      // Nothing was recorded, but the open bars of a live saga grow with time: only the timeline is drawn again.
      redraw?.();
    }
    if (LIVE_STATUSES.has(saga.status)) timer = setTimeout(load, REFRESH_MS[saga.status] ?? 3_000);
  };
  await load();
}

/** Calls `changed` on each lifecycle event of the saga, until `signal` aborts or the stream ends. */
function followEvents(id, signal, changed) {
  if (typeof EventSource === 'undefined') return;
  const events = new EventSource(new URL(`sagas/${encodeURIComponent(id)}/events`, API_ROOT).href);
  const types = [
    'saga.step.succeeded',
    'saga.step.failed',
    'saga.compensating',
    'saga.completed',
    'saga.compensated',
    'saga.compensation_failed',
  ];
  types.forEach((type) => events.addEventListener(type, changed));
  // The server ends the stream after the saga's end; the browser would open it again: the polling takes over.
  events.addEventListener('error', () => events.close());
  signal.addEventListener('abort', () => events.close());
}

function crumbs(base, current) {
  return h(
    'nav',
    { class: 'crumbs', 'aria-label': 'Breadcrumb' },
    h('a', { href: base, 'data-nav': true }, 'Sagas'),
    ' / ',
    h('span', {}, current),
  );
}

function render(root, saga, { base, reload, view, navigate }) {
  document.title = `${saga.name} ${statusLabel(saga.status)} · sagaflow explorer`;
  const timelineHost = h('div', { class: 'timeline-host' });
  const zoomBar = h('div', { class: 'zoom-bar' });
  const historyTable = historySection(saga);
  replace(
    root,
    crumbs(base, `${saga.name} ${saga.id}`),
    summary(saga, reload, base, (started) => navigate(`${base}/${encodeURIComponent(started)}`)),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'timeline-title' },
      h('div', { class: 'section-head' }, h('h2', { id: 'timeline-title' }, 'Timeline'), legend()),
      timelineHost,
      zoomBar,
    ),
    historyTable,
    h('div', { class: 'columns' }, stepsSection(saga), inputSection(saga)),
  );
  return drawTimeline(timelineHost, zoomBar, saga, historyTable, view);
}

/** Draws the timeline and returns the function that draws it again (the model is built anew, up to now). */
function drawTimeline(host, zoomBar, saga, historyTable, view) {
  const draw = () => {
    const model = buildTimeline(saga);
    const width = Math.max(560, Math.floor(host.clientWidth || 960));
    replace(
      host,
      renderTimeline(model, {
        width,
        view: view.range,
        onSelect: (bar) => highlightHistory(historyTable, bar),
        onZoom: (start, end) => {
          view.range = { start, end };
          draw();
        },
      }),
    );
    const start = model.start;
    replace(
      zoomBar,
      view.range
        ? [
            h(
              'span',
              { class: 'muted' },
              `Showing +${formatDuration(view.range.start - start)} to +${formatDuration(view.range.end - start)}. `,
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'button small',
                dataset: { zoom: 'reset' },
                onClick: () => {
                  view.range = undefined;
                  draw();
                },
              },
              'Show all',
            ),
          ]
        : [
            h('span', { class: 'muted' }, 'Drag across the timeline to zoom in; click a bar to mark its history.'),
            stepsOnly(model)
              ? h(
                  'button',
                  {
                    type: 'button',
                    class: 'button small',
                    dataset: { zoom: 'steps' },
                    onClick: () => {
                      view.range = stepsOnly(model);
                      draw();
                    },
                  },
                  'Zoom to the steps',
                )
              : null,
          ],
    );
  };
  draw();
  // Drawn again at the new width when the window is resized; the listener goes with the page.
  let pending;
  const onResize = () => {
    clearTimeout(pending);
    pending = setTimeout(() => (host.isConnected ? draw() : window.removeEventListener('resize', onResize)), 150);
  };
  window.addEventListener('resize', onResize);
  return draw;
}

/**
 * The part of the axis where steps and compensations ran, when waits or sleeps make it a sliver of the whole (a
 * checkout waits days for its delivery after seconds of work); undefined when it is most of the axis anyway.
 */
function stepsOnly(model) {
  const work = model.bars.filter((bar) => bar.kind !== 'wait');
  if (work.length === 0) return undefined;
  const end = Math.max(...work.map((bar) => bar.end));
  const start = model.start;
  if (end - start > 0.25 * (model.end - start)) return undefined;
  return { start, end: end + Math.max(1, (end - start) * 0.05) };
}

/** Marks the history lines of a clicked bar: the same step, phase and attempt. */
function highlightHistory(table, bar) {
  const phase = bar.kind === 'compensation' ? 'compensation' : 'step';
  let first;
  for (const row of table.querySelectorAll('tr[data-type]')) {
    const type = row.dataset.type;
    const samePhase = phase === 'compensation' ? type.startsWith('compensation.') : !type.startsWith('compensation.');
    const match =
      row.dataset.step === bar.step &&
      samePhase &&
      (bar.attempt === undefined || row.dataset.attempt === undefined || row.dataset.attempt === String(bar.attempt));
    row.classList.toggle('is-highlighted', match);
    if (match && !first) first = row;
  }
  first?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
}

/** The engine's event type of a child step's wait; its key is the child saga's id. */
const CHILD_COMPLETED_EVENT = 'sagaflow.child.completed';

/** `m-1 (at most 1 at a time; queued for a slot)`, or since when it holds one. */
function concurrencyText({ key, limit, admittedAt }) {
  const held = admittedAt ? ['; running since ', timeText(admittedAt)] : ['; queued for a slot'];
  return [h('code', {}, key), ` (at most ${limit} at a time`, ...held, ')'];
}

function sagaLink(base, id) {
  return h('a', { href: `${base}/${encodeURIComponent(id)}`, 'data-nav': true }, h('code', {}, id));
}

function summary(saga, reload, base, open) {
  const duration = saga.finishedAt
    ? formatSpan(saga.createdAt, saga.finishedAt)
    : `${formatSpan(saga.createdAt, new Date().toISOString())} so far`;
  const facts = [
    ['Saga id', h('code', { class: 'saga-id' }, saga.id)],
    ['Version', String(saga.version)],
    ['Created', timeText(saga.createdAt)],
    ['Updated', timeText(saga.updatedAt)],
    ['Finished', saga.finishedAt ? timeText(saga.finishedAt) : '—'],
    ['Duration', duration],
    ...(saga.parent ? [['Parent', [sagaLink(base, saga.parent.id), ` (step ${saga.parent.step})`]]] : []),
    ...(saga.rerunOf ? [['Rerun of', sagaLink(base, saga.rerunOf)]] : []),
    ...(saga.concurrency ? [['Concurrency key', concurrencyText(saga.concurrency)]] : []),
    ...(saga.tags
      ? [['Tags', Object.entries(saga.tags).map(([name, value]) => h('code', { class: 'tag' }, `${name}: ${value}`))]]
      : []),
  ];
  return h(
    'section',
    { class: 'card saga-summary', dataset: { sagaId: saga.id, status: saga.status } },
    h(
      'div',
      { class: 'title-row' },
      h('h1', {}, saga.name),
      statusBadge(saga.status, { id: 'saga-status' }),
      LIVE_STATUSES.has(saga.status)
        ? h('span', { class: 'live', title: 'Read again every few seconds' }, 'live')
        : null,
      h(
        'div',
        { class: 'actions' },
        h(
          'a',
          {
            class: 'raw-link',
            href: new URL(`sagas/${encodeURIComponent(saga.id)}`, API_ROOT).href,
            target: '_blank',
            rel: 'noopener',
            title: 'The saga as the API answers it',
          },
          'JSON',
        ),
        actionButtons(saga, reload, open),
      ),
    ),
    h(
      'dl',
      { class: 'facts' },
      facts.map(([term, value]) => h('div', {}, h('dt', {}, term), h('dd', {}, value))),
    ),
    saga.attention
      ? h(
          'div',
          { class: 'note note-attention', role: 'status' },
          h('strong', {}, 'Needs attention: '),
          saga.attention.reason,
        )
      : null,
    saga.error ? errorBox(saga.error, `Failed at ${saga.error.step}:`) : null,
    waitingNote(saga, base),
    saga.cancellation
      ? h(
          'div',
          { class: 'note note-cancelled' },
          h('strong', {}, 'Cancelled '),
          timeText(saga.cancellation.requestedAt),
          saga.cancellation.reason ? [': ', h('q', {}, saga.cancellation.reason)] : ' (no reason given)',
        )
      : null,
  );
}

function waitingNote(saga, base) {
  const wait = saga.waitingFor;
  if (!wait) return null;
  const until = toMs(wait.until);
  const left = until === undefined ? '' : ` (in ${formatDuration(until - Date.now())})`;
  let what = 'sleeps';
  if (wait.event === CHILD_COMPLETED_EVENT) what = ['waits for its child saga ', sagaLink(base, wait.key)];
  else if (wait.event) {
    what = ['waits for ', h('code', {}, wait.event), wait.key ? [' with key ', h('code', {}, wait.key)] : null];
  }
  return h(
    'div',
    { class: 'note note-waiting' },
    h('strong', {}, `${wait.step}: `),
    what,
    ' until ',
    timeText(wait.until),
    left,
  );
}

/** Statuses a saga no longer moves from by itself: it can be rerun from them. */
const ENDED_STATUSES = new Set(['completed', 'compensated', 'compensation_failed']);

/**
 * The actions the saga's state allows; each asks for confirmation and reloads the saga when the API accepts, but
 * a rerun, which opens the saga it started.
 */
function actionButtons(saga, reload, open) {
  const run = (options) => async () => {
    const result = await confirmAction(options);
    if (result !== undefined) await reload();
  };
  const button = (action, label, onClick, danger = false) =>
    h('button', { type: 'button', class: danger ? 'button danger' : 'button', dataset: { action }, onClick }, label);
  const who = [h('strong', {}, saga.name), ' ', h('code', {}, saga.id)];
  const buttons = [];
  if (saga.status === 'running' || saga.status === 'waiting') {
    buttons.push(
      button(
        'cancel',
        'Cancel…',
        run({
          action: 'cancel',
          title: 'Cancel this saga?',
          body: [
            h('p', {}, who),
            h(
              'p',
              {},
              'Its succeeded steps are compensated, newest first, and it ends compensated. A waiting step stops at once; a step in flight finishes first. A saga past a step without compensation cannot be cancelled.',
            ),
          ],
          field: { label: 'Reason', name: 'reason', placeholder: 'kept in the saga’s history' },
          confirmLabel: 'Cancel the saga',
          danger: true,
          run: (reason) => sagaApi.cancel(saga.id, reason),
        }),
        true,
      ),
    );
  }
  if (saga.status === 'compensation_failed') {
    const failed = saga.steps.find((step) => step.status === 'compensation_failed')?.name ?? 'the failed step';
    buttons.push(
      button(
        'retry',
        'Retry compensation…',
        run({
          action: 'retry',
          title: 'Retry the failed compensation?',
          body: [
            h('p', {}, who),
            h('p', {}, `The compensation of ${failed} runs again, then the steps before it are compensated.`),
          ],
          field: { label: 'Note', name: 'note', placeholder: 'why it should succeed now' },
          confirmLabel: 'Retry',
          run: (note) => sagaApi.retry(saga.id, note),
        }),
      ),
      button(
        'resolve',
        'Resolve…',
        run({
          action: 'resolve',
          title: 'Mark this saga as resolved by hand?',
          body: [
            h('p', {}, who),
            h(
              'p',
              {},
              `Records that the failed compensation of ${failed} and the steps before it were handled by hand: the saga ends compensated and nothing more runs. This cannot be undone.`,
            ),
          ],
          field: { label: 'Note', name: 'note', required: true, placeholder: 'what was done by hand' },
          confirmLabel: 'Resolve',
          danger: true,
          run: (note) => sagaApi.resolve(saga.id, note),
        }),
        true,
      ),
    );
  }
  if (ENDED_STATUSES.has(saga.status)) {
    // Made when the dialog opens: submitting twice reruns once.
    const key = `explorer-rerun-${saga.id}-${Date.now()}`;
    buttons.push(
      button('rerun', 'Rerun…', async () => {
        const started = await confirmAction({
          action: 'rerun',
          title: 'Start this saga again?',
          body: [
            h('p', {}, who),
            h(
              'p',
              {},
              'A new saga starts with the same input and tags, linked to this one. This one is left as it is.',
            ),
          ],
          field: { label: 'Idempotency key', name: 'idempotencyKey', placeholder: 'reruns once per key' },
          confirmLabel: 'Rerun',
          run: (text) => sagaApi.rerun(saga.id, text || key),
        });
        if (started !== undefined) open(started.id);
      }),
    );
  }
  return buttons;
}

function legend() {
  return h(
    'ul',
    { class: 'legend' },
    legendItems().map(([kind, outcome, label]) => h('li', {}, swatch(kind, outcome), label)),
    h('li', {}, h('span', { class: 'legend-backoff', 'aria-hidden': 'true' }), 'backoff'),
  );
}

function stepsSection(saga) {
  return h(
    'section',
    { class: 'card steps', 'aria-labelledby': 'steps-title' },
    h('h2', { id: 'steps-title' }, 'Steps'),
    h(
      'ol',
      { class: 'step-list' },
      saga.steps.map((step) =>
        h(
          'li',
          { class: 'step', dataset: { stepCard: step.name, status: step.status } },
          h(
            'div',
            { class: 'step-head' },
            h('span', { class: 'step-name' }, step.name),
            statusBadge(step.status),
            h(
              'span',
              { class: 'muted' },
              `${step.attempts} attempt${step.attempts === 1 ? '' : 's'}`,
              step.startedAt ? ` · ${step.finishedAt ? formatSpan(step.startedAt, step.finishedAt) : 'started'}` : '',
            ),
          ),
          step.startedAt
            ? h(
                'div',
                { class: 'step-times muted' },
                timeText(step.startedAt),
                ' → ',
                step.finishedAt ? timeText(step.finishedAt) : '…',
              )
            : null,
          step.wait
            ? h(
                'div',
                { class: 'note note-waiting' },
                step.wait.event
                  ? [
                      'Waits for ',
                      h('code', {}, step.wait.event),
                      step.wait.key ? [' with key ', h('code', {}, step.wait.key)] : null,
                    ]
                  : step.wait.signal
                    ? ['Waits for signal ', h('code', {}, step.wait.signal)]
                    : 'Sleeps',
                ' until ',
                timeText(step.wait.until),
                step.wait.eventId ? [' · ended by event ', h('code', {}, step.wait.eventId)] : null,
                step.wait.seq !== undefined ? [' · ended by signal ', h('code', {}, `#${step.wait.seq}`)] : null,
              )
            : null,
          step.output !== undefined
            ? h(
                'details',
                { open: true },
                h('summary', {}, 'Output'),
                jsonBlock(step.output, { dataset: { output: step.name } }),
              )
            : null,
          errorBox(step.error, step.output !== undefined ? 'Last failed attempt:' : 'Error:'),
          step.compensation
            ? h(
                'div',
                { class: 'compensation-info' },
                h('strong', {}, '↩ Compensation: '),
                `${step.compensation.attempts} attempt${step.compensation.attempts === 1 ? '' : 's'}`,
                step.compensation.startedAt
                  ? [
                      ' · ',
                      timeText(step.compensation.startedAt),
                      ' → ',
                      step.compensation.finishedAt ? timeText(step.compensation.finishedAt) : '…',
                    ]
                  : null,
                errorBox(step.compensation.error, 'Compensation error:'),
              )
            : null,
        ),
      ),
    ),
  );
}

function inputSection(saga) {
  return h(
    'section',
    { class: 'card input', 'aria-labelledby': 'input-title' },
    h('h2', { id: 'input-title' }, 'Input'),
    jsonBlock(saga.input, { id: 'saga-input' }),
  );
}

function historySection(saga) {
  const start = toMs(saga.createdAt) ?? toMs(saga.history[0]?.at) ?? 0;
  const rows = saga.history.map((entry) => {
    const at = toMs(entry.at);
    return h(
      'tr',
      { dataset: { type: entry.type, step: entry.step, attempt: entry.attempt } },
      h('td', {}, h('time', { datetime: entry.at, title: entry.at }, formatTime(entry.at))),
      h('td', { class: 'num muted' }, at === undefined ? '' : `+${formatDuration(at - start)}`),
      h(
        'td',
        {},
        h(
          'span',
          { class: `entry entry-${entry.type.split('.')[0]} entry-${entry.type.replace('.', '-')}` },
          entry.type,
        ),
      ),
      h('td', {}, entry.step ?? ''),
      h('td', { class: 'num' }, entry.attempt ?? ''),
      h('td', { class: 'details' }, entryDetails(entry)),
    );
  });
  return h(
    'section',
    { class: 'card history', 'aria-labelledby': 'history-title' },
    h('h2', { id: 'history-title' }, 'History ', h('span', { class: 'muted' }, `${saga.history.length} entries`)),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'history-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Time', 'Since start', 'Entry', 'Step', 'Attempt', 'Details'].map((title) =>
              h('th', { scope: 'col' }, title),
            ),
          ),
        ),
        h('tbody', {}, rows),
      ),
    ),
  );
}

function entryDetails(entry) {
  const parts = [];
  if (entry.error) {
    parts.push(
      h('span', { class: 'error-name' }, entry.error.name ?? 'Error'),
      entry.error.code ? h('code', { class: 'error-code' }, entry.error.code) : null,
      ' ',
      entry.error.message ?? '',
    );
  }
  if (entry.willRetry !== undefined)
    parts.push(h('span', { class: 'muted' }, entry.willRetry ? ' · will retry' : ' · no retry'));
  if (entry.event) parts.push('event ', h('code', {}, entry.event), ' ');
  if (entry.key) parts.push('key ', h('code', {}, entry.key), ' ');
  if (entry.until) parts.push('until ', timeText(entry.until), ' ');
  if (entry.eventId) parts.push('id ', h('code', {}, entry.eventId), ' ');
  if (entry.signal)
    parts.push('signal ', h('code', {}, entry.signal), entry.seq !== undefined ? ` #${entry.seq} ` : ' ');
  if (entry.note) parts.push(h('q', {}, entry.note));
  if (entry.version !== undefined) parts.push(`version ${entry.version}`);
  return parts;
}
