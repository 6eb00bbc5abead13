import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, track } from './processes';

/** The two Redis configurations the bench compares. */
export type Persistence = 'none' | 'aof-everysec';

export const PERSISTENCE_LABELS: Record<Persistence, string> = {
  none: 'no persistence',
  'aof-everysec': 'AOF everysec',
};

/** A redis-server of the bench's own, on a free port, with its data in a temporary folder. */
export class BenchRedis {
  private constructor(
    readonly persistence: Persistence,
    readonly port: number,
    private readonly dir: string,
    readonly process: ChildProcess,
  ) {}

  static async start(persistence: Persistence): Promise<BenchRedis> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'sagaflow-bench-redis-'));
    const aof =
      persistence === 'aof-everysec' ? ['--appendonly', 'yes', '--appendfsync', 'everysec'] : ['--appendonly', 'no'];
    const child = track(
      spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--dir',
          dir,
          '--save',
          '',
          ...aof,
          '--maxmemory-policy',
          'noeviction',
        ],
        { stdio: 'ignore' },
      ),
    );
    const redis = new BenchRedis(persistence, port, dir, child);
    await redis.waitUntilReady();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  private async waitUntilReady(): Promise<void> {
    const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      for (let tries = 0; ; tries++) {
        if (this.process.exitCode !== null) throw new Error(`redis-server exited with code ${this.process.exitCode}`);
        try {
          await probe.connect();
          await probe.ping();
          return;
        } catch (error) {
          if (tries > 100) throw error;
          probe.disconnect();
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    } finally {
      probe.disconnect();
    }
  }

  async stop(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      await new Promise((resolve) => {
        this.process.once('exit', resolve);
        this.process.kill('SIGKILL');
      });
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
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
