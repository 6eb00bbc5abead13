import { SagaError } from './saga.error';
import { SagaErrorCode } from './error-codes';

/** Thrown when an idempotency key is reused for a start with another input; nothing was written. */
export class SagaIdempotencyConflictError extends SagaError {
  readonly code = SagaErrorCode.IdempotencyConflict;

  constructor(
    readonly idempotencyKey: string,
    readonly sagaId: string,
  ) {
    super(`Idempotency key "${idempotencyKey}" was used for saga "${sagaId}" with another input.`);
  }
}
