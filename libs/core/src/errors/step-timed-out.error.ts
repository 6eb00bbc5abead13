import { SagaError } from './saga.error';
import { SagaErrorCode } from './error-codes';

/** Thrown into an attempt that ran longer than its `timeout`; retried like any transient failure. */
export class StepTimedOutError extends SagaError {
  readonly code = SagaErrorCode.StepTimedOut;

  constructor(
    readonly step: string,
    readonly timeoutMs: number,
  ) {
    super(`Step "${step}" did not finish within ${timeoutMs} ms.`);
  }
}
