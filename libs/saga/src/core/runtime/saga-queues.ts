import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { EVENTS_QUEUE } from '../events/event-queue-worker';
import type { SagaDefinition } from '../definition/saga-definition';
import { poolQueueName, queueName, stepQueueName } from './step-job';

/**
 * The BullMQ queues: one per saga, one per named worker pool, and the events queue; created on first use and
 * sharing one connection.
 */
export class SagaQueues {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly connection: Redis,
    readonly prefix: string,
  ) {}

  /** The queue of a saga's default-pool steps and of its timers. */
  get(sagaName: string): Queue {
    return this.byQueueName(queueName(sagaName));
  }

  /** The queue the jobs of a definition's step go to: its pool's, or its saga's. */
  forStep(definition: SagaDefinition, index: number): Queue {
    return this.byQueueName(stepQueueName(definition, index));
  }

  /** The queue of a named worker pool. */
  pool(pool: string): Queue {
    return this.byQueueName(poolQueueName(pool));
  }

  /**
   * Waits up to `timeoutMs` for the shared connection to be up and logged in; false if it is not by then. BullMQ
   * itself waits for ever for a connection that has never been ready.
   */
  async connected(timeoutMs: number): Promise<boolean> {
    if (this.connection.status === 'ready') return true;
    let timer: NodeJS.Timeout | undefined;
    let onReady: (() => void) | undefined;
    const ready = await Promise.race([
      new Promise<boolean>((resolve) => this.connection.once('ready', (onReady = () => resolve(true)))),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (onReady) this.connection.off('ready', onReady);
    return ready;
  }

  /** The queue other services publish events on ({@link EVENTS_QUEUE}). */
  events(): Queue {
    return this.byQueueName(EVENTS_QUEUE);
  }

  private byQueueName(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.prefix });
      // The connection's own errors are the queue's: whoever owns the connection reports them (once per outage).
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.queues.clear();
  }
}
