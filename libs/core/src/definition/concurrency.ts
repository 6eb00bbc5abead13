import { InvalidSagaDefinitionError } from '../errors/invalid-saga-definition.error';

/**
 * At most `limit` sagas of a definition that share a key run at once; the others wait, status `queued`, and run in
 * the order they were started as the running ones end. Held in Redis, so across every worker process and through
 * a crash. A saga holds its slot from its start until it ends completed or compensated; one parked as
 * `compensation_failed` keeps it until an operator resolves it, since what it left half-undone belongs to its key.
 * @typeParam I - the saga's input type
 * @publicApi
 */
export interface ConcurrencyOptions<I> {
  /**
   * The key, from the validated input (a customer id, an account number): a string of 1 to 200 characters
   * from `A-Z a-z 0-9 _ . : @ + / -`.
   */
  key: (input: I) => string;
  /**
   * How many sagas of one key may run at once.
   * @defaultValue 1
   */
  limit?: number;
}

/** The concurrency of a built definition (see {@link ConcurrencyOptions}). */
export interface ConcurrencyDefinition {
  readonly key: (input: never) => string;
  readonly limit: number;
}

/** Checks `defineSaga`'s `concurrency` option and fills in its default. */
export function concurrencyDefinition<I>(sagaName: string, options: ConcurrencyOptions<I>): ConcurrencyDefinition {
  if (typeof options?.key !== 'function') {
    throw new InvalidSagaDefinitionError(sagaName, "concurrency.key must be a function of the saga's input.");
  }
  const limit = options.limit ?? 1;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new InvalidSagaDefinitionError(sagaName, `concurrency.limit must be a positive integer, got ${limit}.`);
  }
  return { key: options.key as ConcurrencyDefinition['key'], limit };
}
