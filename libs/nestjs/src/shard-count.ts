import type { Redis } from 'ioredis';

/**
 * Records the number of shards of a deployment the first time a process of it meets Redis, under `key` (a key
 * whose name does not depend on that number), and throws if a process comes with another number: a saga's shard
 * follows from its id and the number of shards, so with another number it would be looked for in the wrong
 * shard.
 */
export async function checkShardCount(redis: Redis, key: string, shards: number): Promise<void> {
  await redis.set(key, String(shards), 'NX');
  const recorded = Number(await redis.get(key));
  if (recorded !== shards) {
    throw new Error(
      `This deployment's sagas are kept in ${recorded} shard(s) (${key}), but this process is set up for ${shards}: ` +
        'every process must use the same SAGAFLOW_SHARDS, and it cannot change while sagas are kept.',
    );
  }
}
