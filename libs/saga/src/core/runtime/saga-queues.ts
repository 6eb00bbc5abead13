import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { queueName } from './step-job';

/** The BullMQ queue of each saga, created on first use and sharing one connection. */
export class SagaQueues {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly connection: Redis,
    readonly prefix: string,
  ) {}

  get(sagaName: string): Queue {
    let queue = this.queues.get(sagaName);
    if (!queue) {
      queue = new Queue(queueName(sagaName), { connection: this.connection, prefix: this.prefix });
      this.queues.set(sagaName, queue);
    }
    return queue;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.queues.clear();
  }
}
