import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { EventInvalidError } from '../errors/event-invalid.error';
import { eventHandler, refusalReason } from './event-handler';
import type { EventHandler } from './event-source';
import type { SagaClient } from '../runtime/saga-client';
import type { SagaLogger } from '../runtime/saga-logger';
import type { PublishEvent, PublishResult } from '../events/saga-event';
import { EVENTS_QUEUE } from '../queues/saga-queues';

/**
 * Consumes {@link EVENTS_QUEUE}: each job's data is one event (`{ id?, type, key?, payload? }`), published as
 * `POST /events` would. The job id stands in for a missing event id, so a redelivered job publishes once. A
 * malformed event fails its job at once, with the reason; Redis trouble fails the attempt, which BullMQ retries
 * when the producer gave the job attempts.
 */
export class EventQueueWorker {
  private worker?: Worker<PublishEvent, PublishResult>;
  private readonly handle: EventHandler;

  constructor(
    client: SagaClient,
    private readonly logger: SagaLogger,
    private readonly options: { connection: Redis; prefix: string; concurrency?: number },
  ) {
    this.handle = eventHandler(client);
  }

  start(): void {
    this.worker = new Worker<PublishEvent, PublishResult>(EVENTS_QUEUE, (job) => this.publish(job), {
      connection: this.options.connection,
      prefix: this.options.prefix,
      concurrency: this.options.concurrency ?? 10,
    });
    this.worker.on('error', (error) => this.logger.error(`Event queue worker failed: ${error.message}`));
  }

  async close(): Promise<void> {
    await this.worker?.close();
    this.worker = undefined;
  }

  private async publish(job: Job<PublishEvent, PublishResult>): Promise<PublishResult> {
    try {
      return await this.handle(job.data, `job-${job.id}`);
    } catch (error) {
      if (error instanceof EventInvalidError) {
        this.logger.warn(`Refused event job ${job.id}: ${error.message}`, { job: job.id });
        throw new UnrecoverableError(refusalReason(error));
      }
      throw error;
    }
  }
}
