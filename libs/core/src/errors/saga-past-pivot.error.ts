import { SagaError } from './saga.error';
import { SagaErrorCode } from './error-codes';

/**
 * Thrown when a saga cannot be cancelled because a step without compensation has run (or is running): what it
 * did cannot be undone, so the saga can only go forward.
 */
export class SagaPastPivotError extends SagaError {
  readonly code = SagaErrorCode.PastPivot;

  constructor(
    readonly sagaId: string,
    readonly step: string,
  ) {
    super(`Saga "${sagaId}" cannot be cancelled: step "${step}" has no compensation and has already run.`);
  }
}
