/**
 * The HTTP API, as the explorer uses it. Its root is found from this file's own URL
 * (`<root>/admin/sagas/assets/api.js`), so the explorer keeps working behind a proxy that adds a path prefix.
 */
export const API_ROOT = new URL('../../../', import.meta.url);

/** An answer other than 2xx, with the API's JSON error (`{ statusCode, code, message, errors? }`) when there is one. */
export class ApiError extends Error {
  constructor(status, body) {
    const message =
      body && typeof body.message === 'string' && body.message ? body.message : `The API answered ${status}.`;
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body && typeof body.code === 'string' ? body.code : undefined;
    this.errors = body && Array.isArray(body.errors) ? body.errors : [];
    this.step = body && typeof body.step === 'string' ? body.step : undefined;
  }

  /** One line for a person: the message, the code, and the fields at fault. */
  describe() {
    const fields = this.errors
      .map((error) => `${error.field}: ${Array.isArray(error.messages) ? error.messages.join(', ') : ''}`)
      .join('; ');
    const code = this.code ? ` (${this.status} ${this.code})` : this.status ? ` (${this.status})` : '';
    // The explorer's session (a cookie set when the browser signed in to /admin) has expired: a reload signs in.
    const hint = this.status === 401 ? ' Reload the page to sign in again.' : '';
    return `${this.message}${code}${fields ? ` ${fields}` : ''}${hint}`;
  }
}

async function request(method, path, { query, body, signal, idempotencyKey } = {}) {
  const url = new URL(path, API_ROOT);
  // An array is a repeated parameter (`tag=a:1&tag=b:2`).
  for (const [name, value] of Object.entries(query ?? {})) {
    for (const one of Array.isArray(value) ? value : [value]) {
      if (one !== undefined && one !== null && one !== '') url.searchParams.append(name, String(one));
    }
  }
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      signal,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    if (error && error.name === 'AbortError') throw error;
    throw new ApiError(0, { message: `The API could not be reached: ${error && error.message}` });
  }
  const text = await response.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = { message: text.slice(0, 300) };
  }
  if (!response.ok) throw new ApiError(response.status, parsed);
  return parsed;
}

const sagaPath = (id) => `sagas/${encodeURIComponent(id)}`;

/** The routes the explorer reads and acts through; nothing else. */
export const sagaApi = {
  /** `{ items, nextCursor? }`, newest first. */
  list: (query, signal) => request('GET', 'sagas', { query, signal }),
  /** `{ queued, running, waiting, completed, compensating, compensated, compensation_failed }` */
  counts: (name, signal) => request('GET', 'sagas/counts', { query: { name }, signal }),
  get: (id, signal) => request('GET', sagaPath(id), { signal }),
  cancel: (id, reason) => request('POST', `${sagaPath(id)}/cancel`, { body: reason ? { reason } : {} }),
  retry: (id, note) => request('POST', `${sagaPath(id)}/retry`, { body: note ? { note } : {} }),
  resolve: (id, note) => request('POST', `${sagaPath(id)}/resolve`, { body: { note } }),
  rerun: (id, idempotencyKey) => request('POST', `${sagaPath(id)}/rerun`, { body: {}, idempotencyKey }),
  /** Starts a bulk operation: `{ operation, filter, reason? , note? }`; answers it with its progress. */
  bulk: (body) => request('POST', 'sagas/bulk', { body }),
  bulkStatus: (id, signal) => request('GET', `sagas/bulk/${encodeURIComponent(id)}`, { signal }),
};
