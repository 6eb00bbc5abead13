import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  createSagaParts,
  queueName,
  type RedisSagaStore,
  type SagaClient,
  type SagaQueues,
  type SagaRegistry,
} from '@sagaflow/core';
import { benchSaga } from './saga/bench.saga';
import { mastersOf, redisClient } from '../tools/redis-client';
import { info } from './support/redis-server';
import { sleep, WorkerProcess } from './support/processes';
import { median, pool } from './support/stats';
import { PLAIN_JOB_OPTIONS, PLAIN_QUEUE } from './workers/plain-queue';
import type { WorkerConfig } from './workers/protocol';

/** Every key of the bench is under this prefix, queues included (the API runs under its own). */
export const PREFIX = 'bench';

export const SAGA_WORKER = join(__dirname, 'workers', 'saga-worker.js');
export const BULLMQ_WORKER = join(__dirname, 'workers', 'bullmq-worker.js');

/** How long a throughput run warms up and then measures. */
export interface Timing {
  warmupMs: number;
  windowMs: number;
}

/** The figure of one throughput run, with what it was computed from. */
export interface DrainResult {
  /** Items (jobs or steps) done per second: the median of the rates of the window's thirds. */
  perSecond: number;
  /** The rate over the whole window, and in each third of it. */
  overallPerSecond: number;
  partsPerSecond: number[];
  /** Items queued before the workers started. */
  queued: number;
  /** Items done within the window, and the window's length. */
  measured: number;
  windowSeconds: number;
  /** CPU time (user + system) of the worker processes over the window, per item done in it, in µs. */
  workerCpuUsPerItem: number;
  /** The same for Redis (`INFO cpu`, every thread of every master), per item, in µs. */
  redisCpuUsPerItem: number;
  /** AOF rewrites Redis ran from the start of the run to its end (their fork competes for the CPU). */
  aofRewrites?: number;
}

/** How far a run has got: items done, and the CPU time the worker processes have used (µs, since they started). */
export interface Progress {
  done: number;
  cpuUs: number;
}

interface Sample {
  t: number;
  done: number;
  workerCpuUs: number;
  redisCpuUs: number;
}

/**
 * Rates over a window of samples: overall, per third (cut at the samples nearest the thirds), and their median;
 * CPU per item over the whole window.
 */
function rates(window: Sample[], queued: number): DrainResult {
  const rate = (from: Sample, to: Sample): number => (to.done - from.done) / ((to.t - from.t) / 1_000);
  const [first, last] = [window[0], window[window.length - 1]];
  const cuts = [first];
  for (const third of [1, 2]) {
    const at = first.t + ((last.t - first.t) * third) / 3;
    const nearest = window.reduce((best, sample) => (Math.abs(sample.t - at) < Math.abs(best.t - at) ? sample : best));
    if (nearest.t > cuts[cuts.length - 1].t && nearest.t < last.t) cuts.push(nearest);
  }
  cuts.push(last);
  const parts = cuts.slice(1).map((to, i) => rate(cuts[i], to));
  const measured = last.done - first.done;
  return {
    perSecond: median(parts),
    overallPerSecond: rate(first, last),
    partsPerSecond: parts.map((part) => Math.round(part)),
    queued,
    measured,
    windowSeconds: (last.t - first.t) / 1_000,
    workerCpuUsPerItem: (last.workerCpuUs - first.workerCpuUs) / measured,
    redisCpuUsPerItem: (last.redisCpuUs - first.redisCpuUs) / measured,
  };
}

/**
 * The bench's side of one private Redis (or cluster): a connection, the engine's client parts (to start sagas the
 * way the API does, through `SagaClient.start`) and the plain BullMQ queue.
 */
export class Harness {
  readonly redis: Redis;
  readonly registry: SagaRegistry;
  readonly store: RedisSagaStore;
  readonly queues: SagaQueues;
  readonly client: SagaClient;
  readonly plainQueue: Queue;
  private readonly processes: Record<'saga' | 'plain', WorkerProcess[]> = { saga: [], plain: [] };

  /**
   * @param prefix - the key prefix of the one shard, or of each shard (see `shardPrefixes`)
   * @param workerExecArgv - Node options of the worker processes, e.g. `--cpu-prof` (see `profile.ts`)
   */
  constructor(
    readonly server: { url: string },
    private readonly prefix: string | readonly string[] = PREFIX,
    private readonly workerExecArgv: (kind: 'saga' | 'plain') => string[] = () => [],
  ) {
    this.redis = redisClient(server.url);
    ({
      registry: this.registry,
      store: this.store,
      queues: this.queues,
      client: this.client,
    } = createSagaParts(this.redis, prefix, {
      // BENCH_LIFECYCLE=1: sagas write their lifecycle events to the outbox, as a deployment's do by default.
      lifecycleEvents: process.env.BENCH_LIFECYCLE === '1',
    }));
    this.registry.register(benchSaga);
    this.plainQueue = new Queue(PLAIN_QUEUE, { connection: this.redis, prefix: PREFIX });
  }

  /** The key of a BullMQ list of the bench saga's queue or the plain queue, e.g. `active`. */
  queueKey(queue: 'saga' | 'plain', list: string): string {
    return `${PREFIX}:${queue === 'saga' ? queueName(benchSaga.name) : PLAIN_QUEUE}:${list}`;
  }

  /** Empties the private Redis (every master of a cluster) between measurements (the script cache stays). */
  async flush(): Promise<void> {
    // A cluster client knows only the masters it has found: before its first reply, maybe none of them.
    await this.redis.ping();
    await Promise.all(mastersOf(this.redis).map((master) => master.flushall()));
  }

  /**
   * `count` worker processes of a kind, forked on first use and kept for the next runs on this Redis (between
   * runs their BullMQ workers are closed: see {@link WorkerProcess.halt}).
   */
  async workers(kind: 'saga' | 'plain', count: number): Promise<WorkerProcess[]> {
    const pool = this.processes[kind];
    while (pool.length < count) {
      const config: WorkerConfig = { redisUrl: this.server.url, prefix: this.prefix };
      const script = kind === 'saga' ? SAGA_WORKER : BULLMQ_WORKER;
      pool.push(await WorkerProcess.start(script, config, this.workerExecArgv(kind)));
    }
    return pool.slice(0, count);
  }

  /** Starts `count` bench sagas through `SagaClient.start` (validation, one MULTI each), many at once. */
  async startSagas(count: number): Promise<string[]> {
    const ids: string[] = [];
    const orders = Array.from({ length: count }, (_, i) => `order-${i}`);
    await pool(orders, 256, async (orderId) => {
      ids.push((await this.client.start(benchSaga.name, { orderId })).id);
    });
    return ids;
  }

  /** Queues `count` no-op jobs with `addBulk`, 1,000 at a time. */
  async addPlainJobs(count: number): Promise<void> {
    for (let from = 0; from < count; from += 1_000) {
      const size = Math.min(1_000, count - from);
      await this.plainQueue.addBulk(
        Array.from({ length: size }, (_, i) => ({ name: 'noop', data: { i: from + i }, opts: PLAIN_JOB_OPTIONS })),
      );
    }
  }

  /** Sagas finished: the engine drops a saga from its active index once no job moves it. */
  async sagasNotFinished(): Promise<number> {
    return this.redis.zcard(this.store.keys.active(0));
  }

  async plainJobsLeft(): Promise<number> {
    return this.plainQueue.getJobCountByTypes('waiting', 'active', 'delayed', 'prioritized');
  }

  /** How many of `ids` have status `completed`, read from each saga's state. */
  async countCompleted(ids: readonly string[]): Promise<number> {
    const replies = await this.readStates(ids, ['status']);
    return replies.filter(([status]) => status === 'completed').length;
  }

  /** How many steps of the sagas `ids` have succeeded, read from each saga's state. */
  async countSucceededSteps(ids: readonly string[]): Promise<number> {
    const fields = benchSaga.steps.map((_step, index) => `s${index}.status`);
    const replies = await this.readStates(ids, fields);
    return replies.flat().filter((status) => status === 'succeeded').length;
  }

  /** Fields of each saga's state, in no particular order: one pipeline per shard (a cluster's slot) at a time. */
  private async readStates(ids: readonly string[], fields: string[]): Promise<(string | null)[][]> {
    const { keys } = this.store;
    const rows: (string | null)[][] = [];
    for (const shard of keys.shards()) {
      const ofShard = ids.filter((id) => keys.shardOf(id) === shard);
      for (let from = 0; from < ofShard.length; from += 1_000) {
        const pipeline = this.redis.pipeline();
        for (const id of ofShard.slice(from, from + 1_000)) pipeline.hmget(keys.state(id), ...fields);
        for (const [error, row] of (await pipeline.exec()) ?? []) {
          if (error) throw error;
          rows.push(row as (string | null)[]);
        }
      }
    }
    return rows;
  }

  /** CPU time Redis has used since it started (user + system, all threads, every master), in µs. */
  async redisCpuUs(): Promise<number> {
    const masters = await Promise.all(mastersOf(this.redis).map((master) => info(master, 'cpu')));
    return masters.reduce((sum, fields) => sum + (Number(fields.used_cpu_user) + Number(fields.used_cpu_sys)) * 1e6, 0);
  }

  /**
   * Tells the workers to go, and measures items done per second from `progress()`, polled every 20 ms with
   * Redis' CPU time: after a warm-up (or once 10% are done), over a window that ends after `windowMs` (or once
   * 90% are done). The figure is the median of the window's three thirds, so that one stall (a GC pause, an AOF
   * rewrite's fork) does not decide it; the CPU per item is the whole window's.
   */
  async measureDrain(
    workers: WorkerProcess[],
    concurrency: number,
    queued: number,
    progress: () => Promise<Progress>,
    timing: Timing,
  ): Promise<DrainResult> {
    const rewrites = async (): Promise<number> => {
      const masters = await Promise.all(mastersOf(this.redis).map((master) => info(master, 'persistence')));
      return masters.reduce((sum, fields) => sum + Number(fields.aof_rewrites), 0);
    };
    const rewritesBefore = await rewrites();
    const result = await this.sampleDrain(workers, concurrency, queued, progress, timing);
    return { ...result, aofRewrites: (await rewrites()) - rewritesBefore };
  }

  private async sampleDrain(
    workers: WorkerProcess[],
    concurrency: number,
    queued: number,
    progress: () => Promise<Progress>,
    timing: Timing,
  ): Promise<DrainResult> {
    const take = async (): Promise<Sample> => {
      const [{ done, cpuUs }, redisCpuUs] = await Promise.all([progress(), this.redisCpuUs()]);
      return { t: performance.now(), done, workerCpuUs: cpuUs, redisCpuUs };
    };
    // The counts still hold the last run's until `go`: only the CPU times of this sample are used.
    const start = { ...(await take()), done: 0 };
    const t0 = performance.now();
    for (const worker of workers) worker.go(concurrency);
    const window: Sample[] = [];
    for (;;) {
      await sleep(20);
      const sample = await take();
      if (window.length === 0) {
        // Drained before it could be looked at (tiny runs): the whole run, start-up included.
        if (sample.done >= 0.9 * queued) return rates([{ ...start, t: t0 }, sample], queued);
        if (sample.t - t0 >= timing.warmupMs || sample.done >= 0.1 * queued) window.push(sample);
        continue;
      }
      window.push(sample);
      if (sample.t - window[0].t >= timing.windowMs || sample.done >= 0.9 * queued) return rates(window, queued);
      if (sample.t - t0 > 300_000) throw new Error(`no drain within 5 minutes (${sample.done} of ${queued} done)`);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.processes.saga, ...this.processes.plain].map((worker) => worker.stop()));
    await this.plainQueue.close();
    await this.queues.close();
    await this.redis.quit();
  }
}
