import { SagaError } from './saga.error';

/**
 * Throw it (or a subclass) from a step or compensation when retrying cannot help: a declined card, an address
 * that cannot be served. The attempt is not retried, and a failed step starts compensation at once.
 * @publicApi
 */
export class PermanentError extends SagaError {
  readonly code: string = 'STEP.PERMANENT_FAILURE';
}
