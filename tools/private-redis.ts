import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A port nothing listens on now, on the loopback address. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Options of {@link PrivateRedis.start}. */
export interface PrivateRedisOptions {
  /**
   * AOF fsync policy, or `off` for no persistence; `always` makes every acknowledged write survive a SIGKILL.
   * @defaultValue 'everysec'
   */
  aof?: 'always' | 'everysec' | 'off';
  /** Called with each redis-server process started, e.g. to kill it if the caller is interrupted. */
  onSpawn?: (child: ChildProcess) => void;
  /**
   * Require clients to log in as this ACL user (the default user is then disabled); `url` carries the credentials.
   */
  user?: { name: string; password: string };
}

/**
 * A redis-server of its own (for a test or the bench), on a free port with `noeviction`, that its owner may kill
 * and start again on the same data.
 */
export class PrivateRedis {
  private process?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'sagaflow-redis-'));

  private constructor(
    readonly port: number,
    private readonly options: Required<Omit<PrivateRedisOptions, 'user'>> & Pick<PrivateRedisOptions, 'user'>,
  ) {}

  static async start(options: PrivateRedisOptions = {}): Promise<PrivateRedis> {
    const { aof = 'everysec', onSpawn = () => undefined, user } = options;
    const redis = new PrivateRedis(await freePort(), { aof, onSpawn, user });
    await redis.resume();
    return redis;
  }

  get url(): string {
    const { user } = this.options;
    const credentials = user ? `${encodeURIComponent(user.name)}:${encodeURIComponent(user.password)}@` : '';
    return `redis://${credentials}127.0.0.1:${this.port}`;
  }

  /** Starts (again) on the same port and data folder, and waits until it answers. */
  async resume(): Promise<void> {
    if (this.isRunning()) return;
    this.process = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--save',
        '',
        ...(this.options.aof === 'off'
          ? ['--appendonly', 'no']
          : ['--appendonly', 'yes', '--appendfsync', this.options.aof]),
        '--maxmemory-policy',
        'noeviction',
        ...(this.options.user
          ? [
              '--user',
              'default',
              'off',
              '--user',
              this.options.user.name,
              'on',
              `>${this.options.user.password}`,
              '~*',
              '&*',
              '+@all',
            ]
          : []),
      ],
      { stdio: 'ignore' },
    );
    this.options.onSpawn(this.process);
    const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    // Refused until the server listens: connect() rejects with that, so the event needs no other handling.
    probe.on('error', () => undefined);
    for (let tries = 0; ; tries++) {
      try {
        await probe.connect();
        await probe.ping();
        break;
      } catch (error) {
        if (tries > 100) throw error;
        probe.disconnect();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    probe.disconnect();
  }

  /** Kills the server outright, as a crash would. */
  async kill(): Promise<void> {
    const running = this.process;
    if (!running || !this.isRunning()) return;
    await new Promise((resolve) => {
      running.once('exit', resolve);
      running.kill('SIGKILL');
    });
  }

  private isRunning(): boolean {
    return this.process !== undefined && this.process.exitCode === null && this.process.signalCode === null;
  }

  async destroy(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
