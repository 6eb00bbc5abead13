import type { Redis } from 'ioredis';
import { guardRedis } from '../redis/guard-redis';
import type { SagaKeys } from '../store/saga-keys';
import type { ErrorInfo, SagaStatus } from '../store/saga-record';
import type { LifecycleEventType, SagaLifecycleEvent } from './saga-lifecycle-event';

type StreamEntry = [id: string, fields: string[]];

/**
 * Reads the lifecycle outbox: the Redis stream of each shard the transitions write their lifecycle events to (see
 * `lua/includes/appendHistory.lua`). Entry ids are increasing within a shard, so "after id" is a position in a
 * shard to resume from. A saga's events are all in its shard's stream, in order.
 * @publicApi
 */
export class LifecycleOutbox {
  constructor(
    private readonly redis: Redis,
    readonly keys: SagaKeys,
  ) {}

  /** Up to `count` events of a shard after `afterId` (`0` for the first), oldest first. */
  async after(shard: number, afterId: string, count: number): Promise<SagaLifecycleEvent[]> {
    const entries = (await guardRedis(() =>
      this.redis.xrange(this.keys.lifecycle(shard), `(${afterId}`, '+', 'COUNT', count),
    )) as StreamEntry[];
    return entries.map(toLifecycleEvent);
  }

  /**
   * Waits up to `blockMs` for events of a shard after `afterId` and returns them (none on a timeout). Blocks
   * `connection`, which must be one of its own.
   */
  async waitAfter(
    connection: Redis,
    shard: number,
    afterId: string,
    count: number,
    blockMs: number,
  ): Promise<SagaLifecycleEvent[]> {
    const reply = (await connection.xread(
      'COUNT',
      count,
      'BLOCK',
      blockMs,
      'STREAMS',
      this.keys.lifecycle(shard),
      afterId,
    )) as [string, StreamEntry[]][] | null;
    return reply ? reply[0][1].map(toLifecycleEvent) : [];
  }

  /** The id of a shard's newest event, or `0` when there is none. */
  async lastId(shard: number): Promise<string> {
    const [newest] = (await guardRedis(() =>
      this.redis.xrevrange(this.keys.lifecycle(shard), '+', '-', 'COUNT', 1),
    )) as StreamEntry[];
    return newest?.[0] ?? '0';
  }

  /**
   * Keeps a shard's outbox from growing for ever: when it holds more than `keep` events, drops those up to
   * `relayedId` (the ones every sink has), or without sinks (`relayedId` undefined) all but about `keep`.
   */
  async trim(shard: number, keep: number, relayedId?: string): Promise<void> {
    const key = this.keys.lifecycle(shard);
    if (relayedId === undefined) {
      await guardRedis(() => this.redis.xtrim(key, 'MAXLEN', '~', keep));
      return;
    }
    if ((await guardRedis(() => this.redis.xlen(key))) <= keep) return;
    await guardRedis(() => this.redis.xtrim(key, 'MINID', '~', relayedId));
  }
}

/** The event a stream entry holds (field `e`, JSON as the transition wrote it), with the entry's id. */
export function toLifecycleEvent([id, fields]: StreamEntry): SagaLifecycleEvent {
  const raw = JSON.parse(fields[fields.indexOf('e') + 1]) as {
    v: number;
    type: LifecycleEventType;
    sagaId: string;
    saga: string;
    status: SagaStatus;
    step?: string;
    attempt?: number;
    error?: ErrorInfo;
    at: number;
  };
  return {
    schemaVersion: raw.v,
    id,
    type: raw.type,
    sagaId: raw.sagaId,
    saga: raw.saga,
    status: raw.status,
    ...(raw.step && { step: raw.step }),
    ...(raw.attempt && { attempt: raw.attempt }),
    ...(raw.error && { error: raw.error }),
    at: new Date(raw.at).toISOString(),
  };
}
