import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
  /** More redis-server arguments, e.g. `['--replicaof', '127.0.0.1', String(master.port)]` for a replica. */
  args?: string[];
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
    const { aof = 'everysec', onSpawn = () => undefined, user, args = [] } = options;
    const redis = new PrivateRedis(await freePort(), { aof, onSpawn, user, args });
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
        ...this.options.args,
      ],
      { stdio: 'ignore' },
    );
    this.options.onSpawn(this.process);
    await waitForPing(this.url);
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

  /** Stops the server answering while its connections stay open, as a network cut would (until {@link thaw}). */
  freeze(): void {
    this.process?.kill('SIGSTOP');
  }

  thaw(): void {
    this.process?.kill('SIGCONT');
  }

  isRunning(): boolean {
    return this.process !== undefined && this.process.exitCode === null && this.process.signalCode === null;
  }

  /** Sends one command with a connection of its own, closed afterwards. */
  command<T>(...args: [string, ...(string | number)[]]): Promise<T> {
    return commandAt<T>(this.url, args);
  }

  async destroy(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Sends one command to the server at `url` with a connection of its own, closed afterwards. */
async function commandAt<T>(url: string, [command, ...args]: [string, ...(string | number)[]]): Promise<T> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    return (await client.call(command, ...args)) as T;
  } finally {
    client.disconnect();
  }
}

/** Waits until a server answers PING at `url` (refused until it listens). */
async function waitForPing(url: string): Promise<void> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
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

/** Options of {@link PrivateSentinel.start}. */
export interface PrivateSentinelOptions {
  /** Port of the master to monitor, on 127.0.0.1. */
  masterPort: number;
  /** @defaultValue 'mymaster' */
  name?: string;
  /** Silence after which the master counts as down. @defaultValue 1000 */
  downAfterMs?: number;
  /** @defaultValue 5000 */
  failoverTimeoutMs?: number;
  /** Called with the process started, e.g. to kill it if the caller is interrupted. */
  onSpawn?: (child: ChildProcess) => void;
}

/**
 * A Redis Sentinel of its own (`redis-server <conf> --sentinel`) on a free port, with a quorum of 1 so that it
 * fails the master over by itself; for tests.
 */
export class PrivateSentinel {
  private constructor(
    readonly port: number,
    readonly name: string,
    private readonly process: ChildProcess,
    private readonly dir: string,
  ) {}

  static async start(options: PrivateSentinelOptions): Promise<PrivateSentinel> {
    const { masterPort, name = 'mymaster', downAfterMs = 1_000, failoverTimeoutMs = 5_000 } = options;
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'sagaflow-sentinel-'));
    // Sentinel rewrites its configuration file, so it gets a file of its own in a folder of its own.
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${name} 127.0.0.1 ${masterPort} 1`,
        `sentinel down-after-milliseconds ${name} ${downAfterMs}`,
        `sentinel failover-timeout ${name} ${failoverTimeoutMs}`,
        `sentinel parallel-syncs ${name} 1`,
        '',
      ].join('\n'),
    );
    const child = spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' });
    options.onSpawn?.(child);
    const sentinel = new PrivateSentinel(port, name, child, dir);
    await waitForPing(sentinel.url);
    return sentinel;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Asks the sentinel with a connection of its own, closed afterwards. */
  command<T>(...args: (string | number)[]): Promise<T> {
    return commandAt<T>(this.url, ['SENTINEL', ...args]);
  }

  /** The port of the master the sentinel names now. */
  async masterPort(): Promise<number> {
    const [, port] = await this.command<[string, string]>('GET-MASTER-ADDR-BY-NAME', this.name);
    return Number(port);
  }

  /** The replicas the sentinel knows and sees up. */
  async replicasUp(): Promise<number> {
    const replicas = await this.command<string[][]>('REPLICAS', this.name);
    return replicas.filter((fields) => {
      const flags = fields[fields.indexOf('flags') + 1] ?? '';
      return !/s_down|o_down|disconnected/.test(flags);
    }).length;
  }

  async destroy(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      await new Promise((resolve) => {
        this.process.once('exit', resolve);
        this.process.kill('SIGKILL');
      });
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Options of {@link PrivateCluster.start}. */
export interface PrivateClusterOptions {
  /** @defaultValue 3 */
  masters?: number;
  /** Replicas of each master, which Redis Cluster promotes when their master fails. @defaultValue 0 */
  replicasPerMaster?: number;
  /** Milliseconds after which an unreachable master counts as failed (`cluster-node-timeout`). @defaultValue 2000 */
  nodeTimeoutMs?: number;
  /** @defaultValue 'everysec' */
  aof?: PrivateRedisOptions['aof'];
  onSpawn?: (child: ChildProcess) => void;
}

/**
 * A Redis Cluster of its own: `redis-server --cluster-enabled yes` nodes on free ports, joined by
 * `redis-cli --cluster create`, every slot served before `start` returns; for tests and the bench.
 */
export class PrivateCluster {
  private constructor(readonly nodes: PrivateRedis[]) {}

  static async start(options: PrivateClusterOptions = {}): Promise<PrivateCluster> {
    const { masters = 3, replicasPerMaster = 0, nodeTimeoutMs = 2_000, aof = 'everysec', onSpawn } = options;
    const args = ['--cluster-enabled', 'yes', '--cluster-node-timeout', String(nodeTimeoutMs)];
    const nodes = await Promise.all(
      Array.from({ length: masters * (1 + replicasPerMaster) }, () => PrivateRedis.start({ aof, onSpawn, args })),
    );
    const cluster = new PrivateCluster(nodes);
    const created = spawnSync(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...nodes.map((node) => `127.0.0.1:${node.port}`),
        '--cluster-replicas',
        String(replicasPerMaster),
        '--cluster-yes',
      ],
      { encoding: 'utf8' },
    );
    if (created.status !== 0) {
      await cluster.destroy();
      throw new Error(`redis-cli --cluster create failed: ${created.stderr || created.stdout}`);
    }
    await cluster.waitUntilServing();
    return cluster;
  }

  /** `redis-cluster://` with every node, as `REDIS_URL`. */
  get url(): string {
    return `redis-cluster://${this.nodes.map((node) => `127.0.0.1:${node.port}`).join(',')}`;
  }

  /** Until every node sees every slot served (`cluster_state:ok`), as after a create or a failover. */
  async waitUntilServing(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const states = await Promise.all(
        this.nodes.filter((node) => node.isRunning()).map((node) => node.command<string>('CLUSTER', 'INFO')),
      );
      if (states.every((info) => /^cluster_state:ok/m.test(info))) return;
      if (Date.now() > deadline) throw new Error(`The cluster did not serve every slot in ${timeoutMs} ms.`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The running node that serves a key's slot now, as master. */
  async masterOf(key: string): Promise<PrivateRedis> {
    const running = this.nodes.filter((node) => node.isRunning());
    const slot = await running[0].command<number>('CLUSTER', 'KEYSLOT', key);
    const ranges = await running[0].command<[number, number, [string, number]][]>('CLUSTER', 'SLOTS');
    const range = ranges.find(([first, last]) => slot >= first && slot <= last);
    const master = running.find((node) => node.port === range?.[2][1]);
    if (!master) throw new Error(`No running master serves slot ${slot} of "${key}".`);
    return master;
  }

  async destroy(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.destroy()));
  }
}
