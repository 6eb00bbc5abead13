/** Small pieces shared by the pages. */
import { h } from './dom.js';
import { formatTime } from './format.js';

/** The saga statuses, in the order the API documents them. */
export const SAGA_STATUSES = [
  'queued',
  'running',
  'waiting',
  'completed',
  'compensating',
  'compensated',
  'compensation_failed',
];

/** Statuses a saga leaves by itself: its page keeps itself up to date while it has one of them. */
export const LIVE_STATUSES = new Set(['queued', 'running', 'waiting', 'compensating']);

/** `compensation_failed` → `compensation failed`. */
export const statusLabel = (status) => String(status).replaceAll('_', ' ');

/** A saga's or a step's status as a coloured badge. */
export function statusBadge(status, attributes = {}) {
  return h(
    'span',
    { class: `badge status-${String(status).replace(/[^a-z_]/g, '')}`, dataset: { status }, ...attributes },
    statusLabel(status),
  );
}

/** A timestamp, shown in local time, with the ISO value on hover. */
export function timeText(iso) {
  return iso ? h('time', { datetime: iso, title: iso }, formatTime(iso)) : '—';
}

/** Any JSON value, pretty-printed as text. */
export function jsonBlock(value, attributes = {}) {
  const text = value === undefined ? 'undefined' : JSON.stringify(value, null, 2);
  return h('pre', { class: 'json', ...attributes }, text);
}

/** An `ErrorInfo` (`{ name, message, code? }`): name and code first, then the message. */
export function errorBox(error, prefix) {
  if (!error) return null;
  return h(
    'div',
    { class: 'error-box', role: 'note' },
    prefix ? h('strong', {}, prefix, ' ') : null,
    h('span', { class: 'error-name' }, error.name || 'Error'),
    error.code ? h('code', { class: 'error-code' }, error.code) : null,
    h('div', { class: 'error-message' }, error.message ?? ''),
  );
}

/** A message over the page: what failed, in words, with the API's own message. */
export function alertBox(message, kind = 'error') {
  return h('div', { class: `alert alert-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message);
}

/** A short saga id for tables: the last 12 characters hold the random part of a UUID v7. */
export const shortId = (id) => (typeof id === 'string' && id.length > 13 ? `…${id.slice(-12)}` : String(id));
