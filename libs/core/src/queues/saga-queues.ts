import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { SagaDefinition } from '../definition/saga-definition';
import type { SagaKeys } from '../store/saga-keys';
import { poolQueueName, queueName } from './step-job';

/**
 * The BullMQ queue other services publish events on, in any language BullMQ speaks. A saga queue is named
 * `saga-<name>`, so this name cannot clash with one.
 */
export const EVENTS_QUEUE = 'sagaflow-events';

/** The BullMQ queue whose job schedulers start scheduled sagas (see SagaSchedules). */
export const SCHEDULES_QUEUE = 'sagaflow-schedules';

/**
 * The BullMQ queues: in each shard (see {@link SagaKeys}) one per saga, where a saga's default-pool jobs go, so
 * that a start adds its first job in the same MULTI as the saga; in the first shard one per named worker pool,
 * shared by the sagas of every shard so that a pool's concurrency and rate limit hold exactly, and the events
 * queue. Created on first use and sharing one connection.
 */
export class SagaQueues {
  private readonly queues = new Map<string, Queue>();
  private everReady: boolean;

  constructor(
    private readonly connection: Redis,
    readonly keys: SagaKeys,
  ) {
    this.everReady = connection.status === 'ready';
    if (!this.everReady) connection.once('ready', () => (this.everReady = true));
  }

  /** Whether the shared connection has been up once: not yet while it is first being made. */
  get hasBeenReady(): boolean {
    return this.everReady;
  }

  /** The queue of a saga's default-pool steps and of its timers, in a shard (the saga's: `keys.shardOf(id)`). */
  get(sagaName: string, shard = 0): Queue {
    return this.byQueueName(queueName(sagaName), shard);
  }

  /** The queue the jobs of a saga's step go to: its pool's, or its saga's in the saga's shard. */
  forStep(definition: SagaDefinition, index: number, sagaId: string): Queue {
    const { pool } = definition.steps[index];
    return pool ? this.pool(pool) : this.get(definition.name, this.keys.shardOf(sagaId));
  }

  /** The queue of a named worker pool. */
  pool(pool: string): Queue {
    return this.byQueueName(poolQueueName(pool), 0);
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
    return this.byQueueName(EVENTS_QUEUE, 0);
  }

  /** The queue of the schedules' jobs ({@link SCHEDULES_QUEUE}). */
  schedules(): Queue {
    return this.byQueueName(SCHEDULES_QUEUE, 0);
  }

  private byQueueName(name: string, shard: number): Queue {
    const prefix = this.keys.prefixes[shard];
    let queue = this.queues.get(`${prefix}:${name}`);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix });
      // The connection's own errors are the queue's: whoever owns the connection reports them (once per outage).
      queue.on('error', () => undefined);
      this.queues.set(`${prefix}:${name}`, queue);
    }
    return queue;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.queues.clear();
  }
}
