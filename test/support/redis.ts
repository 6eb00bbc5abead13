import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { mastersOf, redisClient } from '../../tools/redis-client';
import { waitFor } from './wait-for';

/** `redis://…`, or `redis-cluster://…` when the suites run against a Redis Cluster (see `test/cluster`). */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix of its own for each test, so suites can share one Redis and run side by side. */
export function uniquePrefix(): string {
  return `test-${randomUUID().slice(0, 8)}`;
}

/** A connection to `url`, a cluster's too (see `redisClient`). */
export function connect(url = REDIS_URL): Redis {
  return redisClient(url);
}

/** Every key of one server that matches a SCAN pattern. */
export async function scanKeys(server: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await server.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return found;
}

/** Every key under the prefix, on every master of a cluster. */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  return (await Promise.all(mastersOf(redis).map((server) => scanKeys(server, `${prefix}:*`)))).flat();
}

/** Deletes every key under the prefix (on a cluster, the engine's keys share one slot: one DEL takes them). */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  const keys = await keysUnder(redis, prefix);
  for (let i = 0; i < keys.length; i += 1_000) await redis.del(...keys.slice(i, i + 1_000));
}

/** A field of a server's INFO replication (`role`, `master_repl_offset`, a replica's `slave_repl_offset`, …). */
export async function replication(url: string, field: string): Promise<string> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    return new RegExp(`^${field}:(\\S+)`, 'm').exec(await client.info('replication'))?.[1] ?? '';
  } finally {
    client.disconnect();
  }
}

/**
 * Waits until a replica holds what its master has acknowledged so far. Replication is asynchronous: a write the
 * master acknowledged but had not sent on dies with it, so a failover test waits for this before the kill.
 */
export async function untilReplicated(masterUrl: string, replicaUrl: string): Promise<void> {
  const acknowledged = Number(await replication(masterUrl, 'master_repl_offset'));
  await waitFor(
    async () => Number(await replication(replicaUrl, 'slave_repl_offset')),
    (offset) => offset >= acknowledged,
  );
}

/** A command Redis ran, as MONITOR shows it: its arguments, and who sent it (`ip:port`, or `lua` from a script). */
export interface MonitoredCommand {
  args: string[];
  source: string;
}

/** The commands one server runs while `work` runs, seen through MONITOR (not on a cluster: one node's alone). */
export async function commandsDuring(redis: Redis, work: () => Promise<unknown>): Promise<MonitoredCommand[]> {
  const monitor = await redis.duplicate().monitor();
  const marker = `end-of-work-${randomUUID()}`;
  const commands: MonitoredCommand[] = [];
  // MONITOR's feed trails the replies, by far on a loaded machine: it is read until a marker sent after the work.
  const seen = new Promise<void>((resolve) =>
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (args[0]?.toLowerCase() === 'echo' && args[1] === marker) resolve();
      else commands.push({ args, source });
    }),
  );
  try {
    await work();
    await redis.echo(marker);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('MONITOR did not show the end of the work within 10 s')), 10_000);
    });
    await Promise.race([seen, late]).finally(() => clearTimeout(timer));
  } finally {
    monitor.disconnect();
  }
  return commands;
}
