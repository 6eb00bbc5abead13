import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody } from '@sagaflow/server';
import type { ApiKeys } from './api-keys';

/** Open to anyone: what a load balancer or an orchestrator probes. */
const PUBLIC_PATHS = new Set(['/health', '/health/live', '/health/ready']);
const SESSION_COOKIE = 'sagaflow_session';
const SESSION_MS = 12 * 3_600_000;

/**
 * Checks every request but the health probes, before routing (so Bull Board and the API docs, which are not Nest
 * controllers, are covered too): `Authorization: Bearer <key>` for the API; for the dashboards under `/admin`,
 * HTTP Basic (any user name, a key as the password), which also sets a session cookie so that the explorer's
 * calls to the API are let through. 401 without credentials, 403 with a wrong key.
 */
export function authHook(keys: ApiKeys) {
  return (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    const path = request.url.split('?', 1)[0];
    if (!keys.enabled || PUBLIC_PATHS.has(path)) return done();
    const dashboard = path === '/admin' || path.startsWith('/admin/');
    const key = credential(request.headers.authorization);
    if (key === undefined) {
      if (keys.validSession(cookie(request.headers.cookie, SESSION_COOKIE))) return done();
      void reply
        .code(401)
        .header('www-authenticate', dashboard ? 'Basic realm="sagaflow", charset="UTF-8"' : 'Bearer realm="sagaflow"')
        .send(body(401, 'AUTH.MISSING', 'Authentication required: send Authorization: Bearer <API key>.'));
      return;
    }
    if (!keys.matches(key)) {
      void reply.code(403).send(body(403, 'AUTH.INVALID_KEY', 'The API key is not valid.'));
      return;
    }
    if (dashboard) {
      const expiresAt = Date.now() + SESSION_MS;
      void reply.header(
        'set-cookie',
        `${SESSION_COOKIE}=${keys.session(key, expiresAt)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_MS / 1_000}`,
      );
    }
    done();
  };
}

/** The key of a `Bearer` or `Basic` (as the password) authorization header; `undefined` when there is none. */
function credential(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, value = ''] = header.split(' ', 2);
  if (scheme.toLowerCase() === 'bearer') return value.trim();
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    return decoded.slice(decoded.indexOf(':') + 1);
  }
  return '';
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const [key, ...value] = pair.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function body(statusCode: number, code: string, message: string): ErrorBody {
  return { statusCode, code, message };
}
