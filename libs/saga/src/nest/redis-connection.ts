import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * A connection that either fails commands at once while Redis is away (an API answers 503 instead of hanging),
 * or waits for Redis to come back (what BullMQ workers need: `maxRetriesPerRequest: null`).
 */
export function createRedisConnection(url: string | undefined, mode: 'fail-fast' | 'wait'): Redis {
  const redis = new Redis(url ?? DEFAULT_REDIS_URL, {
    maxRetriesPerRequest: mode === 'fail-fast' ? 1 : null,
    enableOfflineQueue: mode === 'wait',
    // Keep reconnecting, at most every 2 s, so a Redis restart is absorbed without a storm.
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  reportOutages(redis);
  return redis;
}

/** One warning when the connection is lost and one line when it is back, instead of an error per retry. */
function reportOutages(redis: Redis): void {
  const logger = new Logger('Redis');
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn(`Redis is unreachable (${error.message}); reconnecting.`);
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    logger.log('Redis is reachable again.');
  });
}
