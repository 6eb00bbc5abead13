import { SagaError } from './saga.error';
import { SagaErrorCode } from './error-codes';
import type { InputFieldError } from './saga-input-invalid.error';

/**
 * Thrown when a bulk operation is asked for with an empty filter (it would act on every saga), an unknown
 * operation, or without the note a resolve needs; nothing was recorded.
 */
export class BulkOperationInvalidError extends SagaError {
  readonly code = SagaErrorCode.BulkInvalid;

  constructor(readonly fields: readonly InputFieldError[]) {
    super(`Invalid bulk operation: ${fields.map((field) => field.field).join(', ')}.`);
  }
}
