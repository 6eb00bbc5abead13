import type { ApiRequest } from './api-request';
import type { Connection } from './parse-args';

/** The error body every API error has: `{ statusCode, code, message, errors? }`. */
export interface ApiErrorBody {
  statusCode: number;
  code?: string;
  message?: string;
  errors?: { field: string; messages: string[] }[];
}

/** The API answered a status of 400 or more; `body` is its JSON error. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(`${status} ${body.code ?? 'HTTP_ERROR'}: ${body.message ?? 'no message'}`);
    this.name = this.constructor.name;
  }
}

/** The API could not be reached, or did not answer JSON. */
export class ApiUnreachableError extends Error {
  constructor(url: string, cause: unknown) {
    const reason =
      cause instanceof Error ? ((cause.cause as Error | undefined)?.message ?? cause.message) : String(cause);
    super(`Cannot reach the API at ${url}: ${reason}. Check --url (or SAGAFLOW_URL) and that the API runs.`);
    this.name = this.constructor.name;
  }
}

/** Makes one request; resolves with the JSON answer, rejects with ApiError or ApiUnreachableError. */
export async function callApi(connection: Connection, request: ApiRequest): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  if (connection.apiKey) headers.authorization = `Bearer ${connection.apiKey}`;
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${connection.url}${request.path}`, {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(30_000),
    });
    text = await response.text();
  } catch (error) {
    throw new ApiUnreachableError(connection.url, error);
  }
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = { statusCode: response.status, message: text.slice(0, 200) };
  }
  if (response.status >= 400) {
    const error = (typeof body === 'object' && body !== null ? body : {}) as ApiErrorBody;
    throw new ApiError(response.status, { ...error, statusCode: response.status });
  }
  return body;
}
