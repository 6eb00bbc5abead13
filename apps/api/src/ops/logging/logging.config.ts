import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import { validateEnvironment } from '@sagaflow/nest';
import { IsIn, IsOptional, IsString } from 'class-validator';
import type { Params } from 'nestjs-pino';
import pino from 'pino';
import type { Options } from 'pino-http';
import pretty from 'pino-pretty';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Probes and scrapes come every few seconds; a line each would drown the rest. */
const UNLOGGED_PATHS = /^\/(health|metrics)(\/|\?|$)/;

/** The logging variables, validated at boot like the rest of the environment. */
class LoggingEnvironment {
  /**
   * `json`: one JSON object a line, for a log shipper. `pretty`: one readable line per record, its fields as
   * JSON at the end. Unset: `json` when NODE_ENV is `production`, else `pretty`.
   */
  @IsOptional()
  @IsIn(['json', 'pretty'], { message: 'LOG_FORMAT must be json or pretty' })
  LOG_FORMAT?: 'json' | 'pretty';

  @IsOptional()
  @IsString()
  NODE_ENV?: string;

  /** The lowest level written. Answered requests are logged at `debug`, refused ones at `warn`, failed ones at `error`. */
  @IsIn(LEVELS, { message: `LOG_LEVEL must be one of ${LEVELS.join(', ')}` })
  LOG_LEVEL: (typeof LEVELS)[number] = 'info';
}

/**
 * The nestjs-pino setup of the API: structured records with the level as a word and an ISO time; each request
 * gets a `reqId` that the lines logged while it runs carry too. Nest's `{ message, … }` object form, which the
 * engine adapter and the sample steps use, is written under pino's `msg` like every other message.
 */
export function loggerParams(config: ConfigService): Params {
  const env = validateEnvironment(LoggingEnvironment)({
    LOG_FORMAT: config.get('LOG_FORMAT'),
    NODE_ENV: config.get('NODE_ENV'),
    LOG_LEVEL: config.get('LOG_LEVEL'),
  });
  const format = env.LOG_FORMAT ?? (env.NODE_ENV === 'production' ? 'json' : 'pretty');
  const options: Options<IncomingMessage, ServerResponse> = {
    level: env.LOG_LEVEL,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: ({ message, ...fields }) => (typeof message === 'string' ? { ...fields, msg: message } : fields),
    },
    // Under load every request logged at `info` would cost more than the request; failures still show.
    customLogLevel: (_req, res, error) =>
      error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'debug',
    customSuccessMessage: (req, res, responseTime) =>
      `${req.method} ${pathOf(req)} ${res.statusCode} ${responseTime} ms`,
    customErrorMessage: (req, res, error) => `${req.method} ${pathOf(req)} ${res.statusCode}: ${error.message}`,
    autoLogging: { ignore: (req) => UNLOGGED_PATHS.test(pathOf(req)) },
    // Lines logged during a request carry its id, not its headers (which may hold credentials).
    quietReqLogger: true,
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
  // nestjs-pino's default route, `{/*splat}`, matches no request on this Fastify adapter: nothing was logged.
  const forRoutes: Params['forRoutes'] = [{ path: '{*splat}', method: RequestMethod.ALL }];
  if (format === 'json') return { pinoHttp: options, forRoutes };
  // In the process and synchronous: a line written just before a crash or a signal is not lost in a thread.
  const stream = pretty({
    sync: true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,context',
    messageFormat: '{if context}[{context}] {end}{msg}',
  });
  return { pinoHttp: [options, stream], forRoutes };
}

/** The path asked for: Nest's Fastify middleware may have cut `req.url` down to what follows its own path. */
function pathOf(req: IncomingMessage): string {
  return (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '';
}
