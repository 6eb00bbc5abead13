import { type Redis } from 'ioredis';
import { PrivateRedis } from '../../tools/private-redis';
import { track } from './processes';

/** The two Redis configurations the bench compares. */
export type Persistence = 'none' | 'aof-everysec';

export const PERSISTENCE_LABELS: Record<Persistence, string> = {
  none: 'no persistence',
  'aof-everysec': 'AOF everysec',
};

/** A redis-server of the bench's own in the given configuration, killed with the bench if it is interrupted. */
export function startBenchRedis(persistence: Persistence): Promise<PrivateRedis> {
  return PrivateRedis.start({ aof: persistence === 'none' ? 'off' : 'everysec', onSpawn: track });
}

/** `INFO <section>` as a map of fields. */
export async function info(redis: Redis, section: string): Promise<Record<string, string>> {
  const text = await redis.info(section);
  const fields: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return fields;
}

export async function usedMemory(redis: Redis): Promise<number> {
  return Number((await info(redis, 'memory')).used_memory);
}

/** Deletes every key that matches `pattern`. */
export async function deleteMatching(redis: Redis, pattern: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000);
    if (keys.length > 0) deleted += await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}
