import { SagaError } from './saga.error';
import { SagaErrorCode } from './error-codes';
import type { InputFieldError } from './saga-input-invalid.error';

/** Thrown when a published event is malformed (type, key, id or payload); nothing was recorded. */
export class EventInvalidError extends SagaError {
  readonly code = SagaErrorCode.EventInvalid;

  constructor(readonly fields: readonly InputFieldError[]) {
    super(`The event is invalid: ${fields.map((f) => f.field).join(', ')}.`);
  }
}
