import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SagaKeys, keyPrefix, shardPrefixes } from '@sagaflow/core';
import { REDIS_URL, connect, deleteKeys, uniquePrefix } from './redis';
import { waitFor } from './wait-for';

const ROOT = join(__dirname, '..', '..');
const ENTRY = { api: 'apps/api/dist/main.js', worker: 'apps/worker/dist/main.js' } as const;
const STARTUP_TIMEOUT_MS = 45_000;

/** How a process ended: Nest re-raises the signal after a graceful shutdown, so SIGTERM shows as `signal`. */
export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One process of the built system, as a user runs it; its output is kept for failure messages. */
export class AppProcess {
  private output = '';
  private readonly exited: Promise<ExitStatus>;

  private constructor(
    readonly app: keyof typeof ENTRY,
    private readonly child: ChildProcess,
  ) {
    const collect = (chunk: Buffer) => (this.output += chunk.toString());
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  static async start(app: keyof typeof ENTRY, env: Record<string, string>, ready: RegExp): Promise<AppProcess> {
    const entry = join(ROOT, ENTRY[app]);
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run "npm run build" first (npm test does).`);
    const child = spawn(process.execPath, [entry], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const started = new AppProcess(app, child);
    // Nest's boot alone takes seconds on a loaded 2-core machine running two suites' processes at once.
    await started.waitForOutput(ready, STARTUP_TIMEOUT_MS);
    return started;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number {
    return this.child.pid as number;
  }

  get log(): string {
    return this.output;
  }

  /** Resolves with the first match of `pattern` in the output; rejects if the process exits first. */
  async waitForOutput(pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.output.match(pattern);
      if (match) return match;
      if (this.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(
          `${this.app} did not print ${pattern} (exit code ${this.child.exitCode}). Output:\n${this.output}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Sends a signal and waits for the exit; SIGTERM is a graceful shutdown, SIGKILL a crash. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<ExitStatus> {
    if (this.child.exitCode === null) this.child.kill(signal);
    return this.exited;
  }

  /**
   * A graceful shutdown that must end within `timeoutMs`: past it, the process is killed and the call fails with
   * the end of its output, so that a shutdown that hangs is seen rather than waited on by the test's hook.
   */
  async shutDown(timeoutMs = 30_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
    const outcome = await Promise.race([this.stop('SIGTERM'), late]);
    clearTimeout(timer);
    if (outcome !== 'late') return;
    await this.stop('SIGKILL');
    throw new Error(
      `${this.app} did not exit within ${timeoutMs} ms of SIGTERM. Its output ends:\n${this.output.slice(-3_000)}`,
    );
  }
}

/** The API and workers on a key prefix of their own, driven over HTTP. */
export class SagaflowSystem {
  private constructor(
    /**
     * What the system's keys and queues begin with, in each shard (`SAGAFLOW_SHARDS`): `SAGAFLOW_PREFIX`, with the
     * shard's number when there are several, as a hash tag on a cluster (see `shardPrefixes`).
     */
    readonly prefixes: readonly string[],
    /** The environment the processes share; start more workers with it. */
    readonly env: Record<string, string>,
    readonly baseUrl: string,
    readonly api: AppProcess,
    readonly workers: AppProcess[],
  ) {}

  /**
   * @param options.env - for every process (e.g. a short SAGAFLOW_LOCK_DURATION_MS for crash tests)
   * @param options.apiEnv - for the API only
   * @param options.seeded - wait for the demo data (false for a system whose Redis refuses it on purpose)
   */
  static async start({
    workers = 1,
    redisUrl = REDIS_URL,
    env: sharedEnv = {},
    apiEnv = {},
    seeded = true,
  }: {
    workers?: number;
    redisUrl?: string;
    env?: Record<string, string>;
    apiEnv?: Record<string, string>;
    seeded?: boolean;
  } = {}): Promise<SagaflowSystem> {
    const name = uniquePrefix();
    // No rate limit unless a test sets one: suites poll the API far faster than any client should. The shards are
    // those of the suite's environment (the cluster project's spreads every system over its masters).
    const env = {
      REDIS_URL: redisUrl,
      SAGAFLOW_PREFIX: name,
      SAGAFLOW_SHARDS: process.env.SAGAFLOW_SHARDS ?? '1',
      WORKER_CONCURRENCY: '10',
      SAGAFLOW_RATE_LIMIT_PER_MINUTE: '0',
      ...sharedEnv,
    };
    const [api, ...workerProcesses] = await Promise.all([
      AppProcess.start('api', { ...env, ...apiEnv, PORT: '0' }, /listening on port \d+/),
      ...Array.from({ length: workers }, () => AppProcess.start('worker', env, /Processing steps of/)),
    ]);
    const [, port] = await api.waitForOutput(/listening on port (\d+)/);
    const prefixes = shardPrefixes(name, redisUrl, Number(env.SAGAFLOW_SHARDS));
    const system = new SagaflowSystem(prefixes, env, `http://127.0.0.1:${port}`, api, workerProcesses);
    if (seeded) {
      await system
        .demoSeeded((apiEnv.SAGAFLOW_API_KEYS ?? sharedEnv.SAGAFLOW_API_KEYS)?.split(',')[0])
        .catch(async (error: unknown) => {
          await system.stop();
          throw error;
        });
    }
    return system;
  }

  /** The first shard's prefix: that of the events queue, the locks and the demo's data. */
  get prefix(): string {
    return this.prefixes[0];
  }

  /** The prefix of a saga's shard: that of its keys and its jobs' queues. */
  prefixOf(sagaId: string): string {
    return this.prefixes[new SagaKeys(this.prefixes).shardOf(sagaId)];
  }

  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /**
   * Waits until the demo gateways have seeded their stock and accounts, which they do once connected to Redis,
   * so that a test reads them as seeded; 503 until the API's connection is ready (a cluster's takes a moment).
   * @throws when they are not seeded within 20 s, with the last answers' statuses
   */
  private async demoSeeded(apiKey: string | undefined): Promise<void> {
    const headers: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
    const paths = ['/demo/inventory/SKU-COFFEE', '/demo/accounts/acct-alice'];
    await waitFor(
      () => Promise.all(paths.map(async (path) => (await this.request('GET', path, undefined, headers)).status)),
      (statuses) => statuses.every((status) => status === 200),
    );
  }

  /** Starts one more worker process with the system's environment. */
  async addWorker(): Promise<AppProcess> {
    const worker = await AppProcess.start('worker', this.env, /Processing steps of/);
    this.workers.push(worker);
    return worker;
  }

  async stop(): Promise<void> {
    await Promise.all([this.api, ...this.workers].map((process) => process.shutDown()));
    const redis = connect(this.env.REDIS_URL);
    for (const prefix of this.prefixes) await deleteKeys(redis, prefix);
    // The deployment's record of its number of shards, beside the shards' keys when there are several.
    await redis.del(`${keyPrefix(this.env.SAGAFLOW_PREFIX, this.env.REDIS_URL)}:shards`);
    await redis.quit();
  }
}
