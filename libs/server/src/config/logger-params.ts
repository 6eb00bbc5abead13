import type { ConfigService } from '@nestjs/config';
import { validateEnvironment } from './validate-environment';
import { IsIn, IsOptional, IsString } from 'class-validator';
import type { Params } from 'nestjs-pino';
import pino from 'pino';
import pretty from 'pino-pretty';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

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
 * The nestjs-pino setup of every sagaflow process: structured records with the level as a word and an ISO time,
 * and the fields the engine gives each line (`sagaId`, `saga`, `step`, …) at the top level. Nest's
 * `{ message, … }` object form, which the engine adapter and the sample steps use, is written under pino's `msg`
 * like every other message.
 * @publicApi
 */
export function loggerParams(config: ConfigService): Params {
  const env = validateEnvironment(LoggingEnvironment)({
    LOG_FORMAT: config.get('LOG_FORMAT'),
    NODE_ENV: config.get('NODE_ENV'),
    LOG_LEVEL: config.get('LOG_LEVEL'),
  });
  const format = env.LOG_FORMAT ?? (env.NODE_ENV === 'production' ? 'json' : 'pretty');
  const options: pino.LoggerOptions = {
    level: env.LOG_LEVEL,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: ({ message, ...fields }) => (typeof message === 'string' ? { ...fields, msg: message } : fields),
    },
  };
  // No route gets nestjs-pino's pino-http middleware: the API logs requests with a Fastify hook instead, which
  // costs a fraction of it.
  const forRoutes: Params['forRoutes'] = [];
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
