import { SagaError } from './saga.error';
import { SagaErrorCode } from './error-codes';

/** Thrown when Redis cannot be reached; the operation was not applied, and it is safe to try again. */
export class StoreUnavailableError extends SagaError {
  readonly code = SagaErrorCode.StoreUnavailable;

  constructor(cause: unknown) {
    super('Redis is unreachable; nothing was changed. Try again shortly.', { cause });
  }
}
