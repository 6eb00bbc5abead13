import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { SCHEDULES_QUEUE } from '../queues/saga-queues';
import type { SagaClient, StartResult } from './saga-client';
import type { SagaLogger } from './saga-logger';
import type { SagaSchedules } from './saga-schedules';

/**
 * Consumes {@link SCHEDULES_QUEUE}: each job is one due start of a schedule, which it starts with the schedule's
 * settings as they are now. The job's id names the one time it was due, so it is the start's idempotency key: a
 * redelivered job starts nothing more. A schedule removed or paused since starts nothing.
 */
export class ScheduleWorker {
  private worker?: Worker<{ scheduleId: string }, StartResult | null>;

  constructor(
    private readonly schedules: SagaSchedules,
    private readonly client: SagaClient,
    private readonly logger: SagaLogger,
    private readonly options: { connection: Redis; prefix: string },
  ) {}

  start(): void {
    this.worker = new Worker(SCHEDULES_QUEUE, (job) => this.startSaga(job), {
      connection: this.options.connection,
      prefix: this.options.prefix,
    });
    this.worker.on('error', (error) => this.logger.error(`Schedule worker failed: ${error.message}`));
  }

  async close(): Promise<void> {
    await this.worker?.close();
    this.worker = undefined;
  }

  private async startSaga(job: Job<{ scheduleId: string }>): Promise<StartResult | null> {
    const { scheduleId } = job.data;
    const settings = await this.schedules.due(scheduleId);
    if (!settings) return null;
    const started = await this.client.start(settings.saga, settings.input, {
      idempotencyKey: `schedule:${job.id}`,
      tags: { ...settings.tags, scheduleId },
    });
    this.logger.log(`Schedule "${scheduleId}" started saga ${started.id}`, { sagaId: started.id, scheduleId });
    return started;
  }
}
