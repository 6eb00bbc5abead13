import { SagaError } from './saga.error';
import { SagaErrorCode } from './error-codes';

/**
 * Thrown when an operator action does not fit the saga's status: retry or resolve of a saga that is not parked,
 * cancel of a finished one.
 */
export class SagaStateConflictError extends SagaError {
  readonly code = SagaErrorCode.StateConflict;

  constructor(
    readonly sagaId: string,
    readonly status: string,
    readonly action: string,
    allowed = 'a compensation_failed saga',
  ) {
    super(`Saga "${sagaId}" is ${status}; only ${allowed} can be ${action}.`);
  }
}
