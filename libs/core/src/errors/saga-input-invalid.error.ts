import { SagaError } from './saga.error';
import { SagaErrorCode } from './error-codes';

/** One field at fault in a saga's input, by its dotted path (`items.0.quantity`). */
export interface InputFieldError {
  readonly field: string;
  readonly messages: readonly string[];
}

/** Thrown when a saga's input does not pass its class-validator rules; nothing has been written. */
export class SagaInputInvalidError extends SagaError {
  readonly code = SagaErrorCode.InputInvalid;

  constructor(
    readonly sagaName: string,
    readonly fields: readonly InputFieldError[],
  ) {
    super(`Input of saga "${sagaName}" is invalid: ${fields.map((f) => f.field || '(body)').join(', ')}.`);
  }
}
