import { SagaError } from './saga.error';
import { SagaErrorCode } from './error-codes';
import type { InputFieldError } from './saga-input-invalid.error';

/** Thrown when a saga's definition declares no query of the name asked (field `name`). */
export class QueryInvalidError extends SagaError {
  readonly code = SagaErrorCode.QueryInvalid;

  constructor(
    readonly sagaId: string,
    readonly query: string,
    readonly fields: readonly InputFieldError[],
  ) {
    super(`Query "${query}" of saga "${sagaId}" is invalid: ${fields.map((f) => f.field).join(', ')}.`);
  }
}
