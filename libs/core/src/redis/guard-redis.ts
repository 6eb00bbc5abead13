import { ReplyError, type ChainableCommander } from 'ioredis';
import { StoreUnavailableError } from '../errors/store-unavailable.error';

/**
 * Replies of a Redis that cannot serve for a while: a replica that a failover has not promoted yet, a server
 * still loading its data after a restart, a cluster with slots not served or being moved. The command did not run.
 */
const PASSING_REPLIES = /^(READONLY|LOADING|MASTERDOWN|CLUSTERDOWN|TRYAGAIN)\b/;

/**
 * Turns connection failures, and the replies of a Redis that cannot serve for a while, into
 * {@link StoreUnavailableError} (an API answers 503, a step retries). Other errors Redis replied with are bugs and
 * pass as they are.
 * @publicApi
 */
export async function guardRedis<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof ReplyError && !PASSING_REPLIES.test((error as Error).message)) throw error;
    throw new StoreUnavailableError(error);
  }
}

/**
 * Runs a pipeline or MULTI and returns its replies; a failed command fails the whole call, as a single
 * command would, so that no failure is silently lost.
 * @publicApi
 */
export function execAll(pipeline: ChainableCommander): Promise<unknown[]> {
  return guardRedis(async () => {
    const results = await pipeline.exec();
    if (!results) throw new Error('The transaction was aborted.');
    return results.map(([error, reply]) => {
      if (error) throw error;
      return reply;
    });
  });
}

/**
 * The wait before a lost connection's next attempt to reconnect (ioredis' `retryStrategy`): growing by 200 ms, at
 * most 2 s, so that a connection keeps trying through a Redis restart or failover without a storm of attempts.
 * @publicApi
 */
export function reconnectDelay(attempt: number): number {
  return Math.min(attempt * 200, 2_000);
}
