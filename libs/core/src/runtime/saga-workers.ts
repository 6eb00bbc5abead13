import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { SagaLogger } from './saga-logger';
import type { StepExecutor } from './step-executor';
import { poolQueueName, queueName, type StepJobData } from '../queues/step-job';

/** Options of {@link SagaWorkers}. @publicApi */
export interface SagaWorkersOptions {
  /**
   * A connection with `maxRetriesPerRequest: null`, as BullMQ workers require; it is duplicated for blocking. The
   * store's own, so that a saga's last transition reaches Redis before BullMQ's finish of its job.
   */
  connection: Redis;
  /** The key prefix of the one shard, or of each shard: the process serves the queues of every shard. */
  prefix: string | readonly string[];
  /**
   * Step jobs one process runs at once, per saga.
   * @defaultValue 10
   */
  concurrency?: number;
  /**
   * How long a worker's claim on a step job lasts without renewal (it renews every half of it). When a worker
   * dies, its steps are redelivered within about twice this time. Shorter recovers faster; too short for a
   * process whose event loop stalls causes needless redeliveries (harmless: transitions are fenced).
   * @defaultValue 30000
   */
  lockDurationMs?: number;
}

/** A named worker pool a process serves, with its own concurrency and, optionally, BullMQ's rate limiter. @publicApi */
export interface PoolWorkerOptions {
  name: string;
  /** Step jobs of the pool this process runs at once; the process' `concurrency` by default. */
  concurrency?: number;
  /** At most `max` step jobs of the pool per `durationMs`, across all processes (BullMQ's queue limiter). */
  rateLimit?: { max: number; durationMs: number };
}

/**
 * One BullMQ worker per queue a process serves, all feeding the {@link StepExecutor}: the queue of each saga (its
 * steps of the default pool, and its timers) in every shard when the process serves the default pool, and the
 * queue of each named pool it serves (one for all shards). Over several shards, a saga's concurrency is shared
 * out between its shards' queues (sagas spread evenly over the shards, each gets the concurrency divided by the
 * number of shards, rounded up).
 */
export class SagaWorkers {
  private readonly workers: Worker[] = [];

  constructor(
    private readonly executor: StepExecutor,
    private readonly logger: SagaLogger,
    private readonly options: SagaWorkersOptions,
  ) {}

  /**
   * @param sagaNames - the sagas whose queues to serve (the default pool); none for a process of named pools only
   * @param pools - the named pools to serve
   */
  start(sagaNames: readonly string[], pools: readonly PoolWorkerOptions[] = []): void {
    const { prefix, concurrency = 10 } = this.options;
    const prefixes = typeof prefix === 'string' ? [prefix] : prefix;
    const perShard = Math.ceil(concurrency / prefixes.length);
    for (const shardPrefix of prefixes) {
      for (const name of sagaNames) this.serve(queueName(name), shardPrefix, { concurrency: perShard });
    }
    for (const pool of pools) {
      this.serve(poolQueueName(pool.name), prefixes[0], {
        concurrency: pool.concurrency ?? concurrency,
        ...(pool.rateLimit && { limiter: { max: pool.rateLimit.max, duration: pool.rateLimit.durationMs } }),
      });
    }
  }

  private serve(
    queue: string,
    prefix: string,
    options: { concurrency: number; limiter?: { max: number; duration: number } },
  ): void {
    // BullMQ's finish of a job takes the next one unless the worker is closing or paused.
    const takesNext = () => !worker.closing && !worker.isPaused();
    const worker: Worker<StepJobData> = new Worker<StepJobData>(
      queue,
      // No third parameter: BullMQ then makes no AbortController per job, for a cancellation sagaflow never asks for.
      (job: Job<StepJobData>, token?: string) => this.executor.process(job, token, takesNext),
      {
        connection: this.options.connection,
        prefix,
        concurrency: options.concurrency,
        ...(options.limiter && { limiter: options.limiter }),
        lockDuration: this.options.lockDurationMs ?? 30_000,
        stalledInterval: this.options.lockDurationMs ?? 30_000,
        // A step whose process dies is redelivered rather than failed: the fence makes a rerun safe.
        maxStalledCount: 10,
        settings: {
          backoffStrategy: (attemptsMade, _type, _error, job) =>
            this.executor.retryDelay(attemptsMade, job as Job<StepJobData>),
        },
      },
    );
    worker.on('error', (error) => this.logger.error(`Worker of queue "${queue}" failed: ${error.message}`));
    this.workers.push(worker);
  }

  /** Stops taking jobs and waits for the ones in progress to finish, and for their transitions. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
    this.workers.length = 0;
    await this.executor.drain();
  }
}
