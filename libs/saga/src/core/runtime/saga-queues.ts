import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { EVENTS_QUEUE } from '../events/event-queue-worker';
import { queueName } from './step-job';

/** The BullMQ queue of each saga, and the events queue, created on first use and sharing one connection. */
export class SagaQueues {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly connection: Redis,
    readonly prefix: string,
  ) {}

  get(sagaName: string): Queue {
    return this.byQueueName(queueName(sagaName));
  }

  /** The queue other services publish events on ({@link EVENTS_QUEUE}). */
  events(): Queue {
    return this.byQueueName(EVENTS_QUEUE);
  }

  private byQueueName(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.prefix });
      this.queues.set(name, queue);
    }
    return queue;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.queues.clear();
  }
}
