import { SagaError } from './saga.error';
import { SagaErrorCode } from './error-codes';

/** Thrown when no schedule has the given id. */
export class ScheduleNotFoundError extends SagaError {
  readonly code = SagaErrorCode.ScheduleNotFound;

  constructor(readonly scheduleId: string) {
    super(`No schedule with id "${scheduleId}" exists.`);
  }
}
