import { StoreUnavailableError } from '@sagaflow/core';
import { ReplyError, type ChainableCommander } from 'ioredis';

/**
 * Turns connection failures into the engine's {@link StoreUnavailableError}, as the engine does with its own
 * calls: the API answers 503, and a step retries. Errors Redis replied with are bugs and pass as they are.
 */
export async function guard<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof ReplyError) throw error;
    throw new StoreUnavailableError(error);
  }
}

/** Runs a MULTI and returns its replies; fails if any command failed, so that none is silently lost. */
export function execAll(transaction: ChainableCommander): Promise<unknown[]> {
  return guard(async () => {
    const results = await transaction.exec();
    if (!results) throw new Error('The transaction was aborted.');
    return results.map(([error, value]) => {
      if (error) throw error;
      return value;
    });
  });
}
