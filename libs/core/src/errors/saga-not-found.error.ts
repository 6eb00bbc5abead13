import { SagaError } from './saga.error';
import { SagaErrorCode } from './error-codes';

/** Thrown when no saga with the given id exists. */
export class SagaNotFoundError extends SagaError {
  readonly code = SagaErrorCode.NotFound;

  constructor(readonly sagaId: string) {
    super(`No saga with id "${sagaId}" exists.`);
  }
}
