import type { Redis } from 'ioredis';

/**
 * Runs `task` now if the connection is ready, and again each time it becomes ready after a reconnection: for
 * start-up work such as seeding, which must wait for Redis (a fail-fast connection refuses commands before it
 * is up) and be redone after a Redis without persistence comes back empty. A failure goes to `onError` and never
 * takes the application down. Returns the function that stops it.
 * @publicApi
 */
export function onEveryRedisReady(
  redis: Redis,
  task: () => Promise<void>,
  onError: (error: unknown) => void,
): () => void {
  const run = (): void => void task().catch(onError);
  redis.on('ready', run);
  if (redis.status === 'ready') run();
  return () => redis.off('ready', run);
}
