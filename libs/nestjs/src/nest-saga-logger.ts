import { Logger } from '@nestjs/common';
import type { SagaLogger } from '@sagaflow/core';

/** Engine context keys renamed on their way to a log record, so that ids read alike across processes. */
const FIELD_NAMES: Readonly<Record<string, string>> = { job: 'jobId' };

/**
 * The engine's {@link SagaLogger} on Nest's `Logger`, keeping each line's context as fields of the record
 * rather than dropping it: `log('Waiting', { sagaId, saga, step })` is handed on as
 * `logger.log({ message: 'Waiting', sagaId, saga, step })`, the object form that nestjs-pino's `Logger` spreads
 * into the pino record (so `sagaId`, `saga`, `step`, `phase`, `attempt`, … can be searched for) and that Nest's
 * `ConsoleLogger` prints whole. A line without context stays a plain message.
 *
 * @example
 * ```ts
 * new StepExecutor(registry, store, dispatcher, inbox, resolve, new NestSagaLogger(StepExecutor.name));
 * ```
 * @publicApi
 */
export class NestSagaLogger implements SagaLogger {
  private readonly logger: Logger;

  /** @param context - the name the lines are logged under, usually the engine class's name */
  constructor(context: string) {
    this.logger = new Logger(context);
  }

  log(message: string, context?: Record<string, unknown>): void {
    this.logger.log(toRecord(message, context));
  }

  warn(message: string, context?: Record<string, unknown>): void {
    this.logger.warn(toRecord(message, context));
  }

  error(message: string, context?: Record<string, unknown>): void {
    this.logger.error(toRecord(message, context));
  }
}

/** The message alone, or the message with the context's defined values as fields beside it. */
function toRecord(message: string, context?: Record<string, unknown>): string | Record<string, unknown> {
  if (!context) return message;
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(context)) {
    if (value === undefined) continue;
    fields[FIELD_NAMES[key] ?? key] = value instanceof Error ? { name: value.name, message: value.message } : value;
  }
  // The message goes last so that a context key named `message` cannot replace it.
  return Object.keys(fields).length === 0 ? message : { ...fields, message };
}
