/** Times and durations as the explorer shows them: local time to the millisecond, durations in a unit that fits. */

const pad = (value, width = 2) => String(value).padStart(width, '0');

/** Milliseconds since the epoch, or undefined for a missing or malformed timestamp. */
export function toMs(iso) {
  if (iso === undefined || iso === null) return undefined;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : undefined;
}

/** `2026-11-25 16:12:47.187`, in the browser's time zone. */
export function formatTime(iso) {
  const ms = toMs(iso);
  if (ms === undefined) return iso ? String(iso) : '—';
  const d = new Date(ms);
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${date} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** `12 ms`, `1.25 s`, `42.1 s`, `3 min 05 s`, `2 h 10 min`, `3 d 4 h`. */
export function formatDuration(ms) {
  if (!Number.isFinite(ms)) return '—';
  const value = Math.max(0, ms);
  if (value < 1_000) return `${Math.round(value)} ms`;
  if (value < 10_000) return `${(value / 1_000).toFixed(2)} s`;
  if (value < 60_000) return `${(value / 1_000).toFixed(1)} s`;
  const seconds = Math.round(value / 1_000);
  if (seconds < 3_600) return `${Math.floor(seconds / 60)} min ${pad(seconds % 60)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 1_440) return `${Math.floor(minutes / 60)} h ${pad(minutes % 60)} min`;
  const hours = Math.round(minutes / 60);
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** The time between two timestamps, or `—` when one is missing. */
export function formatSpan(fromIso, toIso) {
  const from = toMs(fromIso);
  const to = toMs(toIso);
  return from === undefined || to === undefined ? '—' : formatDuration(to - from);
}

/** The value of a `datetime-local` input (local time, to the second) for an ISO timestamp. */
export function toLocalInput(iso) {
  const ms = toMs(iso);
  if (ms === undefined) return '';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** An ISO timestamp (UTC) for the value of a `datetime-local` input, which is local time; '' when empty. */
export function fromLocalInput(value) {
  if (!value) return '';
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : '';
}
