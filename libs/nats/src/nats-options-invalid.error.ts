import { SagaError } from '@sagaflow/core';

/** Thrown by a NATS source or sink's constructor when an option is not usable; names the option. @publicApi */
export class NatsOptionsInvalidError extends SagaError {
  readonly code = 'BROKER.NATS_OPTIONS_INVALID';

  constructor(
    readonly option: string,
    problem: string,
  ) {
    super(`The NATS option "${option}" ${problem}. Check your configuration.`);
  }
}
