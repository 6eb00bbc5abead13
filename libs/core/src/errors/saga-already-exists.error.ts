import { SagaError } from './saga.error';
import { SagaErrorCode } from './error-codes';

/** Thrown when a saga is started with an id that is already taken. */
export class SagaAlreadyExistsError extends SagaError {
  readonly code = SagaErrorCode.AlreadyExists;

  constructor(readonly sagaId: string) {
    super(`A saga with id "${sagaId}" already exists.`);
  }
}
