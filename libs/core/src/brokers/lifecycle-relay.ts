import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { guardRedis } from '../redis/guard-redis';
import type { SagaLogger } from '../runtime/saga-logger';
import type { SagaKeys } from '../store/saga-keys';
import type { EventSink } from './event-sink';
import type { LifecycleOutbox } from './lifecycle-outbox';

/** Options of {@link LifecycleRelay}. @publicApi */
export interface LifecycleRelayOptions {
  /** Events published per round. @defaultValue 200 */
  batchSize?: number;
  /** How long to wait when the outbox has nothing new. @defaultValue 100 */
  idleMs?: number;
  /** Events the outbox keeps beyond those still to relay, for live readers. @defaultValue 100000 */
  keep?: number;
}

const LOCK_TTL_MS = 10_000;
const RETRY_MS = 1_000;
/** How often an outbox without sinks is trimmed. */
const TRIM_EVERY_MS = 5_000;

/**
 * Publishes the lifecycle outbox to the sinks, in order within each shard (so each saga's events in order), and
 * trims it: one relay at a time across all worker processes (a Redis lock), from the last event of each shard
 * every sink has confirmed (kept in Redis), so that a relay that dies is followed by another one from where it
 * stood. At least once: a crash between a sink's confirmation and the position's update publishes a batch again,
 * with the same event ids.
 * @publicApi
 */
export class LifecycleRelay {
  private readonly owner = randomUUID();
  private readonly stopping = new AbortController();
  private running?: Promise<void>;

  constructor(
    private readonly redis: Redis,
    private readonly keys: SagaKeys,
    private readonly outbox: LifecycleOutbox,
    private readonly sinks: readonly EventSink[],
    private readonly logger: SagaLogger,
    private readonly options: LifecycleRelayOptions = {},
  ) {}

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
    await this.redis.eval(RELEASE, 1, this.keys.relayLock(), this.owner).catch(() => undefined);
  }

  /**
   * One round: publishes the next batch of each shard if this process holds the lock. Returns how many events it
   * published.
   */
  async relayOnce(): Promise<number> {
    if (!(await this.lead())) return 0;
    let published = 0;
    for (const shard of this.keys.shards()) published += await this.relayShard(shard);
    return published;
  }

  private async relayShard(shard: number): Promise<number> {
    const keep = this.options.keep ?? 100_000;
    // Without sinks the outbox only feeds live readers: it keeps its newest events.
    if (this.sinks.length === 0) {
      await this.outbox.trim(shard, keep);
      return 0;
    }
    const relayed = (await guardRedis(() => this.redis.get(this.keys.lifecycleRelayed(shard)))) ?? '0';
    const events = await this.outbox.after(shard, relayed, this.options.batchSize ?? 200);
    if (events.length > 0) {
      for (const sink of this.sinks) await sink.publish(events);
      await guardRedis(() => this.redis.set(this.keys.lifecycleRelayed(shard), events[events.length - 1].id));
    }
    await this.outbox.trim(shard, keep, events.at(-1)?.id ?? relayed);
    return events.length;
  }

  private async loop(): Promise<void> {
    const { signal } = this.stopping;
    while (!signal.aborted) {
      let pauseMs = 0;
      try {
        if ((await this.relayOnce()) === 0) pauseMs = this.sinks.length ? (this.options.idleMs ?? 100) : TRIM_EVERY_MS;
      } catch (error) {
        this.logger.warn(`Relaying lifecycle events failed; trying again: ${(error as Error).message}`);
        pauseMs = RETRY_MS;
      }
      await sleep(pauseMs, undefined, { signal }).catch(() => undefined);
    }
  }

  /** Takes or renews the relay lock. */
  private async lead(): Promise<boolean> {
    const taken = await guardRedis(() => this.redis.eval(LEAD, 1, this.keys.relayLock(), this.owner, LOCK_TTL_MS));
    return taken === 1;
  }
}

/** Takes the lock when free, or renews it for its owner. */
const LEAD = `
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
