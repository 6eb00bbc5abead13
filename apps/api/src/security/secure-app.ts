import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiConfig } from '../config/api.config';
import type { ErrorBody } from '@sagaflow/server';
import { ApiKeys } from './api-keys';
import { authHook } from './auth-hook';

/** Deeper JSON than any input needs is refused before it is validated: deep nesting only costs the server. */
const MAX_JSON_DEPTH = 32;

/**
 * Authentication, security headers, CORS and the JSON depth limit, before any route runs. Refuses to start in
 * production without API keys; elsewhere it starts open, and says so.
 * @returns a warning to log, when the API is open
 */
export async function secureApp(app: NestFastifyApplication, config: ApiConfig): Promise<string | undefined> {
  const keys = ApiKeys.parse(config.SAGAFLOW_API_KEYS);
  if (!keys.enabled && config.NODE_ENV === 'production') {
    throw new Error(
      'Invalid configuration: SAGAFLOW_API_KEYS must hold at least one key when NODE_ENV=production; the API ' +
        'will not start open. Check your environment variables.',
    );
  }
  // The explorer sends a strict policy of its own; Swagger UI and Bull Board need their inline scripts.
  await app.register(helmet, { contentSecurityPolicy: false });
  const origins = (config.SAGAFLOW_CORS_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  if (origins.length > 0) app.enableCors({ origin: origins });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', authHook(keys));
  fastify.addHook('preValidation', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (depth(request.body) <= MAX_JSON_DEPTH) return done();
    void reply.code(400).send({
      statusCode: 400,
      code: 'REQUEST.TOO_DEEP',
      message: `The body nests deeper than ${MAX_JSON_DEPTH} levels.`,
    } satisfies ErrorBody);
  });
  return keys.enabled
    ? undefined
    : 'SAGAFLOW_API_KEYS is not set: the API and its dashboards are open to anyone who reaches the port. ' +
        'Set keys before exposing it (NODE_ENV=production refuses to start without them).';
}

/** How deeply a parsed JSON value nests, stopping early once past the limit. */
function depth(value: unknown, level = 0): number {
  if (level > MAX_JSON_DEPTH || typeof value !== 'object' || value === null) return level;
  let deepest = level;
  for (const child of Object.values(value)) deepest = Math.max(deepest, depth(child, level + 1));
  return deepest;
}
