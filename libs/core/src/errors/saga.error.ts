/**
 * Base of the engine's errors: a stable `code`, and the context as fields rather than only in the message.
 * @publicApi
 */
export abstract class SagaError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
