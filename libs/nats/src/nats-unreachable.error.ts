import { SagaError } from '@sagaflow/core';

/**
 * Thrown by `start()` of a NATS source or sink when no server answered its first connection. Later losses of the
 * connection are not errors: the client reconnects on its own, for as long as it takes.
 * @publicApi
 */
export class NatsUnreachableError extends SagaError {
  readonly code = 'BROKER.NATS_UNREACHABLE';

  constructor(
    readonly servers: readonly string[],
    cause: unknown,
  ) {
    super(
      `No NATS server answered at ${servers.join(', ')} (${cause instanceof Error ? cause.message : String(cause)}). ` +
        'Start one with JetStream enabled (`nats-server -js`), or check the servers option.',
      { cause },
    );
  }
}
