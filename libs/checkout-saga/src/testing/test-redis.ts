import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/** The Redis the specs talk to: a real one, never a mock, since the scripts are what is under test. */
export function connectTestRedis(): Redis {
  return new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
}

/** A key prefix of its own for each test, so specs can share one Redis and run side by side. */
export function uniqueTestPrefix(): string {
  return `test-${randomUUID()}`;
}

/** Deletes every key under the prefix (SCAN, never KEYS, so a shared Redis is not blocked). */
export async function deleteTestKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1_000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
