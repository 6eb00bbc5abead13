import { SagaError } from './saga.error';
import { SagaErrorCode } from './error-codes';
import type { InputFieldError } from './saga-input-invalid.error';

/**
 * Thrown when a signal is refused before anything is written: its saga's definition declares no signal of that
 * name (field `name`), or the payload does not pass the signal's class-validator rules (the fields at fault), or
 * its idempotency key is malformed (field `idempotencyKey`).
 */
export class SignalInvalidError extends SagaError {
  readonly code = SagaErrorCode.SignalInvalid;

  constructor(
    readonly sagaId: string,
    readonly signal: string,
    readonly fields: readonly InputFieldError[],
  ) {
    super(`Signal "${signal}" to saga "${sagaId}" is invalid: ${fields.map((f) => f.field || '(body)').join(', ')}.`);
  }
}
