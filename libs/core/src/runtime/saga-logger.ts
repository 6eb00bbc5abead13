/** The logging the engine needs; Nest's `Logger` fits it as it is. */
export interface SagaLogger {
  log(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}
