import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { SagaLogger } from './saga-logger';
import type { StepExecutor } from './step-executor';
import { queueName, type StepJobData } from './step-job';

/** Options of {@link SagaWorkers}. @publicApi */
export interface SagaWorkersOptions {
  /** A connection with `maxRetriesPerRequest: null`, as BullMQ workers require; it is duplicated for blocking. */
  connection: Redis;
  prefix: string;
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

/** One BullMQ worker per saga queue, all feeding the {@link StepExecutor}. */
export class SagaWorkers {
  private readonly workers: Worker[] = [];

  constructor(
    private readonly executor: StepExecutor,
    private readonly logger: SagaLogger,
    private readonly options: SagaWorkersOptions,
  ) {}

  start(sagaNames: readonly string[]): void {
    for (const name of sagaNames) {
      const worker = new Worker<StepJobData>(
        queueName(name),
        (job: Job<StepJobData>, token?: string, signal?: AbortSignal) => this.executor.process(job, signal, token),
        {
          connection: this.options.connection,
          prefix: this.options.prefix,
          concurrency: this.options.concurrency ?? 10,
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
      worker.on('error', (error) => this.logger.error(`Worker of saga "${name}" failed: ${error.message}`));
      this.workers.push(worker);
    }
  }

  /** Stops taking jobs and waits for the ones in progress to finish. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
    this.workers.length = 0;
  }
}
