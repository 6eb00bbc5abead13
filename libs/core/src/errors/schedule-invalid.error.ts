import { SagaError } from './saga.error';
import { SagaErrorCode } from './error-codes';
import type { InputFieldError } from './saga-input-invalid.error';

/** Thrown when a schedule's settings are invalid (its id, `every`, `cron` or time zone); nothing was written. */
export class ScheduleInvalidError extends SagaError {
  readonly code = SagaErrorCode.ScheduleInvalid;

  constructor(
    readonly scheduleId: string,
    readonly fields: readonly InputFieldError[],
  ) {
    super(`Schedule "${scheduleId}" is invalid: ${fields.map((field) => field.field).join(', ')}.`);
  }
}
