import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';

/** Probes and scrapes come every few seconds; a line each would drown the rest. */
const UNLOGGED_PATHS = /^\/(health|metrics)(\/|\?|$)/;

/**
 * Logs each answered request from a Fastify `onResponse` hook: at `debug` when it succeeded, `warn` when it was
 * refused (4xx) and `error` when it failed (5xx), with its method, URL, status and time.
 *
 * It replaces nestjs-pino's pino-http middleware, which cost a third more CPU per request (a Nest middleware on
 * Fastify, a child logger and an async context for each one) and so a third of the API's starts per second. The
 * price: lines logged while a request runs do not carry its id.
 */
export function logRequests(app: NestFastifyApplication, logger: Logger): void {
  const log = logger.child({ context: 'Http' });
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', (request, reply, done) => {
      const { statusCode } = reply;
      const level = statusCode >= 500 ? 'error' : statusCode >= 400 ? 'warn' : 'debug';
      if (log.isLevelEnabled(level) && !UNLOGGED_PATHS.test(request.url)) {
        const responseTime = Math.round(reply.elapsedTime);
        log[level](
          // Flat fields: pino-http's serializers, which the root logger has, would read `req` and `res` as raw objects.
          { reqId: request.id, method: request.method, url: request.url, statusCode, responseTime },
          `${request.method} ${request.url} ${statusCode} ${responseTime} ms`,
        );
      }
      done();
    });
}
