/**
 * Stable codes of every error the engine raises. Codes, not classes, survive a process boundary
 * (an HTTP answer, a persisted step error), where `instanceof` no longer works.
 * @publicApi
 */
export const SagaErrorCode = {
  InvalidDefinition: 'SAGA.INVALID_DEFINITION',
  DefinitionNotFound: 'SAGA.DEFINITION_NOT_FOUND',
  InputInvalid: 'SAGA.INPUT_INVALID',
  NotFound: 'SAGA.NOT_FOUND',
  AlreadyExists: 'SAGA.ALREADY_EXISTS',
  StateConflict: 'SAGA.STATE_CONFLICT',
  PastPivot: 'SAGA.PAST_PIVOT',
  IdempotencyConflict: 'SAGA.IDEMPOTENCY_CONFLICT',
  EventInvalid: 'SAGA.EVENT_INVALID',
  SignalInvalid: 'SAGA.SIGNAL_INVALID',
  QueryInvalid: 'SAGA.QUERY_INVALID',
  ScheduleInvalid: 'SAGA.SCHEDULE_INVALID',
  ScheduleNotFound: 'SAGA.SCHEDULE_NOT_FOUND',
  WaitTimedOut: 'SAGA.WAIT_TIMED_OUT',
  ChildSagaFailed: 'SAGA.CHILD_FAILED',
  ChildSagaNotUndone: 'SAGA.CHILD_NOT_UNDONE',
  StoreUnavailable: 'SAGA.STORE_UNAVAILABLE',
  StepTimedOut: 'SAGA.STEP_TIMED_OUT',
  StepFailedPermanently: 'SAGA.STEP_FAILED_PERMANENTLY',
  BulkInvalid: 'SAGA.BULK_INVALID',
  BulkNotFound: 'SAGA.BULK_NOT_FOUND',
} as const;

export type SagaErrorCode = (typeof SagaErrorCode)[keyof typeof SagaErrorCode];
