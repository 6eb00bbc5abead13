import { createHash } from 'node:crypto';

/**
 * Where the engine keeps its data, over one shard or several. A shard is a key prefix: each saga lives in one
 * shard, with its indexes, counters, lifecycle outbox and BullMQ queues, so that every script and MULTI that
 * touches a saga stays within its shard. On a Redis Cluster each shard's prefix is a hash tag (`{sagaflow-0}`),
 * so a shard is one slot, and the shards of a deployment spread over the masters. Keys that belong to no saga
 * (locks, the events queue) are in the first shard.
 */
export class SagaKeys {
  readonly prefixes: readonly string[];

  /** @param prefix - the key prefix of each shard, or of the one shard */
  constructor(prefix: string | readonly string[]) {
    this.prefixes = typeof prefix === 'string' ? [prefix] : [...prefix];
    if (this.prefixes.length === 0) throw new Error('SagaKeys needs the key prefix of at least one shard.');
  }

  /** The first shard's prefix: that of the keys that belong to no saga. */
  get prefix(): string {
    return this.prefixes[0];
  }

  /** The shards, `0` to `n - 1`. */
  shards(): number[] {
    return this.prefixes.map((_, shard) => shard);
  }

  /** The shard of a saga, from the random end of its id (both generated and child ids end in random hex). */
  shardOf(sagaId: string): number {
    return this.prefixes.length === 1 ? 0 : parseInt(sagaId.slice(-8), 16) % this.prefixes.length;
  }

  /**
   * The shard a saga started with this idempotency key must live in, so that the start script finds the key
   * beside the saga it creates.
   */
  idempotencyShard(sagaName: string, key: string): number {
    return this.shardOfName('idempotency', sagaName, key);
  }

  /**
   * The shard of the sagas of a concurrency key, and of the key's slots: admitting one as another ends is one
   * script. It takes precedence over {@link idempotencyShard}: such a saga's idempotency record is in this shard.
   */
  concurrencyShard(sagaName: string, key: string): number {
    return this.shardOfName('concurrency', sagaName, key);
  }

  /**
   * The shard a saga must be created in: its concurrency key's, or else its idempotency key's; `otherwise` when
   * it has neither.
   */
  startShard(
    sagaName: string,
    { idempotencyKey, concurrencyKey }: { idempotencyKey?: string; concurrencyKey?: string },
    otherwise: number,
  ): number {
    if (concurrencyKey !== undefined) return this.concurrencyShard(sagaName, concurrencyKey);
    return idempotencyKey === undefined ? otherwise : this.idempotencyShard(sagaName, idempotencyKey);
  }

  /**
   * What the sets of a concurrency key are named from: `<this>:running` (sorted set of the sagas holding a slot,
   * scored by when they took it) and `<this>:queued` (list of the sagas waiting for one, oldest first). The saga's
   * `concurrency` field holds it, for the transition that ends the saga (see `lua/includes/concurrency.lua`).
   */
  concurrency(sagaName: string, key: string): string {
    return `${this.prefixes[this.concurrencyShard(sagaName, key)]}:concurrency:${sagaName}:${key}`;
  }

  /** Hash: the saga's status, cursor, input, and per step `s<i>.<field>`. */
  state(sagaId: string): string {
    return `${this.prefixes[this.shardOf(sagaId)]}:saga:{${sagaId}}`;
  }

  /** List of JSON history entries, oldest first. */
  history(sagaId: string): string {
    return `${this.state(sagaId)}:history`;
  }

  /** List of the signals a saga received, oldest first (see `lua/includes/signalWait.lua`). */
  signals(sagaId: string): string {
    return `${this.state(sagaId)}:signals`;
  }

  /** String: the seq of the signal an idempotency key sent to a saga, and a hash of it; expires. */
  signalIdempotency(sagaId: string, key: string): string {
    return `${this.state(sagaId)}:signal:${key}`;
  }

  /** Sorted set of a shard's saga ids, all scored 0: ids are time-ordered, so lexical order is creation order. */
  index(shard: number): string {
    return `${this.prefixes[shard]}:sagas`;
  }

  /**
   * Sorted set of the ids of a shard's sagas that a job should be moving (running or compensating), scored by
   * creation time: what the sweeper checks for a lost job. The transitions drop a saga that ends or parks.
   */
  active(shard: number): string {
    return `${this.prefixes[shard]}:sagas:active`;
  }

  /**
   * Sorted set of the ids of a shard's ended sagas (completed or compensated) that have a retention, scored by
   * when they are due for removal (see `lua/includes/finish.lua`).
   */
  expiring(shard: number): string {
    return `${this.prefixes[shard]}:sagas:expiring`;
  }

  /** Held by the one reaper (see SagaReaper) that removes ended sagas at a time. */
  reaperLock(): string {
    return `${this.prefix}:reaper:lock`;
  }

  /** Hash of the schedules, by id: what each starts and how often, as JSON (see SagaSchedules). */
  schedules(): string {
    return `${this.prefix}:schedules`;
  }

  /** Hash: a bulk operation's request and progress (see BulkOperations); in the first shard, as it spans all. */
  bulk(bulkId: string): string {
    return `${this.prefix}:bulk:${bulkId}`;
  }

  /** Sorted set of the bulk operations' ids, scored by their creation time: the listing of recent ones. */
  bulkIndex(): string {
    return `${this.prefix}:bulks`;
  }

  /** String: the bulk operation an `Idempotency-Key` started, and the hash of its request. */
  bulkIdempotency(key: string): string {
    return `${this.prefix}:bulk:idempotency:${key}`;
  }

  /** Held by the one sweeper that runs at a time. */
  sweeperLock(): string {
    return `${this.prefix}:sweeper:lock`;
  }

  /**
   * String: the saga an idempotency key of a start belongs to, and the hash of its input; in `shard`, that of the
   * idempotency key unless the saga's concurrency key chose another (see {@link concurrencyShard}).
   */
  idempotency(sagaName: string, key: string, shard = this.idempotencyShard(sagaName, key)): string {
    return `${this.prefixes[shard]}:idempotency:${sagaName}:${key}`;
  }

  /** String: what publishing an event did (JSON), kept so that publishing it again does nothing. */
  event(eventId: string): string {
    return `${this.prefixes[this.shardOfName('event', eventId)]}:event:${eventId}`;
  }

  /**
   * Sorted set of the recent events of a type and key (JSON, scored by time): where an event waits for a saga
   * that has not reached its wait step yet.
   */
  mailbox(eventType: string, key: string): string {
    return `${this.prefixes[this.shardOfName('events', eventType, key)]}:mailbox:${eventType}:${key}`;
  }

  /** Set of the ids of sagas waiting for an event of a type and key. May hold sagas that no longer wait. */
  waiters(eventType: string, key: string): string {
    return `${this.prefixes[this.shardOfName('events', eventType, key)]}:waiters:${eventType}:${key}`;
  }

  /**
   * Stream: a shard's lifecycle outbox, one entry per lifecycle event (field `e`, JSON), written by the
   * transitions themselves (see `lua/includes/appendHistory.lua`).
   */
  lifecycle(shard: number): string {
    return `${this.prefixes[shard]}:lifecycle`;
  }

  /** String: the id of the last event of a shard's outbox that the relay has published to every sink. */
  lifecycleRelayed(shard: number): string {
    return `${this.prefixes[shard]}:lifecycle:relayed`;
  }

  /** Held by the one relay that publishes lifecycle events at a time. */
  relayLock(): string {
    return `${this.prefix}:lifecycle:relay:lock`;
  }

  /** Hash of a shard's counters, kept by the transitions (see `lua/includes/metrics.lua`). */
  metrics(shard: number): string {
    return `${this.prefixes[shard]}:metrics`;
  }

  /**
   * Same as {@link index}, for the sagas started by an event with this correlation key, or that waited on it.
   * `lua/remove-saga-6.lua` names this key, {@link nameIndex}, {@link tagIndex} and {@link idempotency} from the
   * shard's prefix in the same way (`lua/start-saga-9.lua` names {@link tagIndex}): change them together.
   */
  keyIndex(shard: number, key: string): string {
    return `${this.prefixes[shard]}:sagas:key:${key}`;
  }

  /** Same as {@link index}, for the sagas started with a tag (`customerId` = `c-1`). */
  tagIndex(shard: number, name: string, value: string): string {
    return `${this.prefixes[shard]}:sagas:tag:${name}=${value}`;
  }

  /** Same as {@link index}, for the sagas of one name. */
  nameIndex(shard: number, sagaName: string): string {
    return `${this.prefixes[shard]}:sagas:name:${sagaName}`;
  }

  /** The shard of keys named by strings rather than by a saga. */
  private shardOfName(...parts: string[]): number {
    if (this.prefixes.length === 1) return 0;
    const digest = createHash('sha1').update(parts.join('\n')).digest();
    return digest.readUInt32BE(0) % this.prefixes.length;
  }
}
