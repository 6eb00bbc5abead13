import type { Retention } from '@sagaflow/core';

/**
 * Options of {@link SagaModule.forRoot}.
 * @publicApi
 */
export interface SagaModuleOptions {
  /**
   * Redis to keep sagas and queues in, as a URL (`redis://user:password@host:6379/0`, `rediss://` for TLS), or
   * `redis-sentinel://[[user]:password@]host:port[,host:port…][/db]?name=<master>[&sentinelPassword=…]` to find
   * the master through Sentinel and follow its failovers, or `redis-cluster://[[user]:password@]host:port[,…]`
   * for a Redis Cluster (keys and queues then carry hash tags: see `shards`). Every connection
   * the engine opens, BullMQ's included, uses it.
   * @defaultValue 'redis://127.0.0.1:6379'
   */
  redisUrl?: string;
  /**
   * Prefix of every key the engine writes, queues included; lets several deployments share one Redis.
   * @defaultValue 'sagaflow'
   */
  prefix?: string;
  /**
   * How many shards the sagas are spread over: each is a key prefix (`<prefix>-0`, `<prefix>-1`, …), a hash
   * tag and so a slot on a Redis Cluster, with its own indexes, counters, outbox and queues; a saga lives in one.
   * More shards than masters spreads a deployment over a cluster's masters. Every process of a deployment must
   * use the same number, and it cannot change while sagas are kept (a process with another number refuses to
   * start).
   * @defaultValue 1
   */
  shards?: number;
  /**
   * Fail Redis commands at once while the connection is down, instead of queueing them until it is back.
   * Right for an HTTP API (it answers 503 at once); a worker waits for Redis instead.
   * @defaultValue false
   */
  failFast?: boolean;
  /**
   * How long an idempotency key of a start is kept.
   * @defaultValue 86400000 (24 h)
   */
  idempotencyTtlMs?: number;
  /**
   * How long a published event is kept: for sagas that reach a wait for it later, and to answer a repeated
   * publish of the same event id.
   * @defaultValue 86400000 (24 h)
   */
  eventRetentionMs?: number;
  /**
   * Write the lifecycle events of the sagas this process starts to the outbox, for the broker sinks,
   * `GET /sagas/:id/events` and `SagaLifecycle.events$`.
   * @defaultValue true
   */
  lifecycleEvents?: boolean;
  /**
   * How long an ended saga (completed or compensated) is kept, with its history, before the workers remove it,
   * for the definitions that set no `retention` of their own: a duration (`'7d'`, `'12h'`) or `'forever'`. Fixed
   * for each saga when it starts. A saga parked for an operator (`compensation_failed`) is never removed.
   * @defaultValue '7d'
   */
  retention?: Retention;
}
