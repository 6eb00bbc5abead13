/**
 * The list of sagas, newest first: filters by name, status, tags and creation time, a search by saga id or correlation
 * key, the counts per status, and pages through `nextCursor`. The filters live in the URL, so that a filtered
 * list can be shared and the browser's back button walks back through pages and filters.
 */
import { ApiError, sagaApi } from './api.js';
import { SAGA_STATUSES, alertBox, shortId, statusBadge, statusLabel, timeText } from './components.js';
import { confirmAction } from './confirm-dialog.js';
import { h, replace } from './dom.js';
import { formatSpan, fromLocalInput, toLocalInput } from './format.js';

const SAGA_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PAGE_SIZES = [20, 50, 100];
/** How often a bulk operation's progress is read while it runs. */
const BULK_POLL_MS = 500;

/** The bulk operations that can change sagas in a status; every one when no status is chosen. */
const BULK_BY_STATUS = {
  '': ['cancel', 'retry', 'resolve'],
  running: ['cancel'],
  waiting: ['cancel'],
  compensation_failed: ['retry', 'resolve'],
};
const BULK_ACTIONS = {
  cancel: { label: 'Cancel all matching…', field: { label: 'Reason', name: 'reason' }, confirm: 'Cancel them all' },
  retry: { label: 'Retry all matching…', field: { label: 'Note', name: 'note' }, confirm: 'Retry them all' },
  resolve: { label: 'Resolve all matching…', field: { label: 'Note', name: 'note' }, confirm: 'Resolve them all' },
};

/** The list's state, from the query string. */
function readQuery(search) {
  const params = new URLSearchParams(search);
  const limit = Number(params.get('limit'));
  return {
    name: params.get('name') ?? '',
    status: SAGA_STATUSES.includes(params.get('status')) ? params.get('status') : '',
    q: params.get('q') ?? '',
    tags: params.get('tags') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    limit: Number.isInteger(limit) && limit >= 1 && limit <= 100 ? limit : 20,
    cursor: params.get('cursor') ?? '',
  };
}

function toSearch(query) {
  const params = new URLSearchParams();
  for (const key of ['name', 'status', 'q', 'tags', 'from', 'to', 'cursor'])
    if (query[key]) params.set(key, query[key]);
  if (query.limit !== 20) params.set('limit', String(query.limit));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * Renders the list into `root`.
 * @param {{ base: string, navigate: (url: string, state?: object) => void, signal: AbortSignal }} context
 */
export async function listPage(root, { base, navigate, signal }) {
  const query = readQuery(location.search);
  const trail = Array.isArray(history.state?.trail) ? history.state.trail : [];
  const go = (next, state = {}) => navigate(`${base}${toSearch(next)}`, state);
  const applyFilters = (changes) => go({ ...query, ...changes, cursor: '' });

  document.title = 'Sagas · sagaflow explorer';
  const countsHost = h('nav', { class: 'counts', 'aria-label': 'Sagas per status' });
  const resultHost = h(
    'section',
    { class: 'card results', 'aria-busy': 'true' },
    h('p', { class: 'placeholder' }, 'Loading…'),
  );
  replace(
    root,
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, 'Sagas'),
      h(
        'button',
        {
          class: 'button',
          type: 'button',
          onClick: () => navigate(`${base}${toSearch(query)}`, history.state ?? {}, { replace: true }),
        },
        'Refresh',
      ),
    ),
    filterForm(query, applyFilters),
    bulkBar(query, signal),
    countsHost,
    resultHost,
  );

  const counts = sagaApi.counts(query.name || undefined, signal).catch((error) => error);
  const page = loadPage(query, signal).catch((error) => error);

  const countsResult = await counts;
  if (signal.aborted) return;
  renderCounts(countsHost, countsResult, query, applyFilters);

  const result = await page;
  if (signal.aborted) return;
  resultHost.removeAttribute('aria-busy');
  if (result instanceof Error) {
    if (result.name === 'AbortError') return;
    replace(resultHost, alertBox(result instanceof ApiError ? result.describe() : String(result.message)));
    return;
  }
  replace(
    resultHost,
    result.note ? alertBox(result.note, 'info') : null,
    sagaTable(result.items, base),
    pager({
      hasNewer: Boolean(query.cursor),
      nextCursor: result.nextCursor,
      onNewer: () => {
        const previous = trail.at(-1) ?? '';
        go({ ...query, cursor: previous }, { trail: trail.slice(0, -1) });
      },
      onOlder: () => go({ ...query, cursor: result.nextCursor }, { trail: [...trail, query.cursor] }),
      shown: result.items.length,
    }),
  );
}

/**
 * One page of sagas. A search that is a saga id finds that saga (the other filters do not apply to it); any
 * other search is a correlation key: sagas started by an event with that key, or that waited for one.
 */
async function loadPage(query, signal) {
  const search = query.q.trim();
  if (SAGA_ID.test(search)) {
    try {
      const saga = await sagaApi.get(search, signal);
      return { items: [saga], note: 'The search is a saga id: showing that saga; the other filters do not apply.' };
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 404) throw error;
    }
  }
  return sagaApi.list(
    {
      name: query.name,
      status: query.status,
      key: search,
      tag: tagList(query.tags),
      from: query.from,
      to: query.to,
      limit: query.limit,
      cursor: query.cursor,
    },
    signal,
  );
}

/** `customerId:c-1, region:eu` → `['customerId:c-1', 'region:eu']`, as the API's repeated `tag` takes them. */
const tagList = (text) =>
  text
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);

function filterForm(query, apply) {
  const name = h('input', {
    name: 'name',
    type: 'text',
    value: query.name,
    placeholder: 'any',
    autocomplete: 'off',
    spellcheck: 'false',
    pattern: '[A-Za-z][A-Za-z0-9_\\-]{0,63}',
    title: 'A saga name, such as checkout or transfer',
  });
  const status = h(
    'select',
    { name: 'status' },
    h('option', { value: '' }, 'any'),
    SAGA_STATUSES.map((value) => h('option', { value, selected: value === query.status }, statusLabel(value))),
  );
  const search = h('input', {
    name: 'q',
    type: 'search',
    value: query.q,
    placeholder: 'saga id or correlation key',
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const tags = h('input', {
    name: 'tags',
    type: 'text',
    value: query.tags,
    placeholder: 'name:value, …',
    autocomplete: 'off',
    spellcheck: 'false',
    pattern: '\\s*[A-Za-z][A-Za-z0-9_.\\-]*:[^,]+(,\\s*[A-Za-z][A-Za-z0-9_.\\-]*:[^,]+)*\\s*',
    title: 'Tags the sagas were started with, such as customerId:c-1, region:eu (all must match)',
  });
  const from = h('input', { name: 'from', type: 'datetime-local', step: 1, value: toLocalInput(query.from) });
  const to = h('input', { name: 'to', type: 'datetime-local', step: 1, value: toLocalInput(query.to) });
  const limit = h(
    'select',
    { name: 'limit' },
    [...new Set([...PAGE_SIZES, query.limit])]
      .sort((a, b) => a - b)
      .map((size) => h('option', { value: size, selected: size === query.limit }, `${size} per page`)),
  );
  const values = () => ({
    name: name.value.trim(),
    status: status.value,
    q: search.value.trim(),
    tags: tags.value.trim(),
    from: fromLocalInput(from.value),
    to: fromLocalInput(to.value),
    limit: Number(limit.value),
  });
  const form = h(
    'form',
    {
      class: 'filters card',
      role: 'search',
      onSubmit: (event) => {
        event.preventDefault();
        if (form.reportValidity()) apply(values());
      },
    },
    h('label', {}, h('span', {}, 'Search'), search),
    h('label', {}, h('span', {}, 'Saga name'), name),
    h('label', {}, h('span', {}, 'Status'), status),
    h('label', {}, h('span', {}, 'Tags'), tags),
    h('label', {}, h('span', {}, 'Created from'), from),
    h('label', {}, h('span', {}, 'to'), to),
    h('label', {}, h('span', {}, 'Page'), limit),
    h(
      'div',
      { class: 'filter-buttons' },
      h('button', { class: 'button primary', type: 'submit' }, 'Apply'),
      h(
        'button',
        {
          class: 'button',
          type: 'button',
          onClick: () => apply({ name: '', status: '', q: '', tags: '', from: '', to: '', limit: 20 }),
        },
        'Clear',
      ),
    ),
  );
  // A choice from a list applies at once; typed text applies on Enter or Apply.
  for (const select of [status, limit]) select.addEventListener('change', () => apply(values()));
  return form;
}

/**
 * The listing's filter as a bulk operation takes it, or `undefined` when no filter is set (a bulk operation never
 * acts on every saga) or the search is a saga id (the list then shows that one saga).
 */
function bulkFilter(query) {
  const search = query.q.trim();
  if (SAGA_ID.test(search)) return undefined;
  const filter = {};
  for (const [name, value] of [
    ['name', query.name],
    ['status', query.status],
    ['key', search],
    ['from', query.from],
    ['to', query.to],
  ]) {
    if (value) filter[name] = value;
  }
  const tags = tagList(query.tags);
  if (tags.length)
    filter.tags = Object.fromEntries(
      tags.map((tag) => [tag.slice(0, tag.indexOf(':')), tag.slice(tag.indexOf(':') + 1)]),
    );
  return Object.keys(filter).length ? filter : undefined;
}

/** The bulk buttons the filter allows, and where a started operation's progress is shown until it is done. */
function bulkBar(query, signal) {
  const filter = bulkFilter(query);
  const operations = filter ? (BULK_BY_STATUS[query.status] ?? []) : [];
  if (operations.length === 0) return null;
  const progress = h('p', { class: 'bulk-progress', role: 'status', hidden: true });
  const show = (operation) => {
    const { matched, applied, skipped, failed, status } = operation;
    progress.hidden = false;
    progress.dataset.status = status;
    progress.textContent =
      `Bulk ${operation.operation} ${status}: matched ${matched}, applied ${applied}, skipped ${skipped}, ` +
      `failed ${failed}${operation.lastError ? ` (last error: ${operation.lastError})` : ''}`;
  };
  const follow = async (operation) => {
    show(operation);
    while (operation.status === 'running' && !signal.aborted) {
      await new Promise((resolve) => setTimeout(resolve, BULK_POLL_MS));
      try {
        operation = await sagaApi.bulkStatus(operation.id, signal);
      } catch (error) {
        if (error.name === 'AbortError') return;
        progress.textContent = `Progress unavailable: ${error instanceof ApiError ? error.describe() : error.message}`;
        return;
      }
      show(operation);
    }
  };
  const described = Object.entries(filter).map(([name, value]) =>
    h('li', {}, h('code', {}, `${name} = ${typeof value === 'object' ? tagList(query.tags).join(', ') : value}`)),
  );
  const button = (operation) => {
    const action = BULK_ACTIONS[operation];
    return h(
      'button',
      {
        class: operation === 'cancel' ? 'button danger' : 'button',
        type: 'button',
        dataset: { bulk: operation },
        onClick: async () => {
          const started = await confirmAction({
            action: `bulk-${operation}`,
            title: action.label.replace('…', ''),
            body: [
              h('p', {}, `Every saga these filters match now, not only this page, in batches:`),
              h('ul', {}, described),
              h('p', {}, 'Sagas whose state does not allow it are skipped.'),
            ],
            field: { ...action.field, required: true },
            confirmLabel: action.confirm,
            danger: operation === 'cancel',
            run: (text) => sagaApi.bulk({ operation, filter, [action.field.name]: text }),
          });
          if (started) await follow(started);
        },
      },
      action.label,
    );
  };
  return h('div', { class: 'bulk-bar' }, operations.map(button), progress);
}

function renderCounts(host, counts, query, apply) {
  if (counts instanceof Error) {
    if (counts.name !== 'AbortError') {
      replace(host, h('span', { class: 'muted' }, `Counts unavailable: ${counts.message}`));
    }
    return;
  }
  const total = SAGA_STATUSES.reduce((sum, status) => sum + (Number(counts[status]) || 0), 0);
  const chip = (status, label, count) =>
    h(
      'button',
      {
        type: 'button',
        class: `count-chip${status === query.status ? ' is-active' : ''}`,
        'aria-pressed': String(status === query.status),
        dataset: { status: status || 'all', count },
        onClick: () => apply({ status }),
      },
      status ? h('span', { class: `dot status-${status}` }) : null,
      h('span', { class: 'count-label' }, label),
      h('span', { class: 'count-value' }, count.toLocaleString()),
    );
  replace(
    host,
    h('span', { class: 'counts-title' }, query.name ? `All ${query.name} sagas:` : 'All sagas:'),
    chip('', 'all', total),
    SAGA_STATUSES.map((status) => chip(status, statusLabel(status), Number(counts[status]) || 0)),
  );
}

function sagaTable(items, base) {
  if (items.length === 0)
    return h('p', { class: 'placeholder', dataset: { empty: '' } }, 'No saga matches these filters.');
  return h(
    'table',
    { class: 'sagas' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Saga', 'Name', 'Status', 'Created', 'Finished', 'Duration'].map((title) => h('th', { scope: 'col' }, title)),
      ),
    ),
    h(
      'tbody',
      {},
      items.map((saga) =>
        h(
          'tr',
          { dataset: { sagaId: saga.id, status: saga.status, name: saga.name } },
          h(
            'td',
            {},
            h(
              'a',
              { href: `${base}/${encodeURIComponent(saga.id)}`, 'data-nav': true, class: 'saga-link', title: saga.id },
              h('code', {}, shortId(saga.id)),
            ),
          ),
          h('td', {}, saga.name, h('span', { class: 'muted' }, ` v${saga.version}`)),
          h('td', {}, statusBadge(saga.status)),
          h('td', {}, timeText(saga.createdAt)),
          h('td', {}, saga.finishedAt ? timeText(saga.finishedAt) : h('span', { class: 'muted' }, '—')),
          h(
            'td',
            { class: 'num' },
            saga.finishedAt
              ? formatSpan(saga.createdAt, saga.finishedAt)
              : h('span', { class: 'muted' }, `${formatSpan(saga.createdAt, new Date().toISOString())} so far`),
          ),
        ),
      ),
    ),
  );
}

function pager({ hasNewer, nextCursor, onNewer, onOlder, shown }) {
  return h(
    'nav',
    { class: 'pager', 'aria-label': 'Pages' },
    h(
      'button',
      { class: 'button', type: 'button', disabled: !hasNewer, onClick: onNewer, dataset: { page: 'newer' } },
      '← Newer',
    ),
    h('span', { class: 'muted' }, `${shown} shown, newest first`),
    h(
      'button',
      { class: 'button', type: 'button', disabled: !nextCursor, onClick: onOlder, dataset: { page: 'older' } },
      'Older →',
    ),
  );
}
