import type { Redis } from 'ioredis';
import type { StepDefinition } from '../definition/saga-definition';
import type { InputFieldError } from '../errors/saga-input-invalid.error';
import { execAll, guardRedis } from '../redis/guard-redis';
import type { RedisSagaStore } from '../store/redis-saga-store';
import type { Transition } from '../store/transition';
import { validateObject } from '../definition/input-validator';
import type { SagaRegistry } from '../definition/saga-registry';
import type { StepDispatcher } from '../queues/step-dispatcher';
import type { EventRejection, KeyedEvent } from './saga-event';

/**
 * Where events meet waiting sagas. A wait registers its saga under the event's type and key, then looks for a
 * kept event; a publisher keeps the event, then looks for registered sagas. Each side writes before it reads,
 * so whichever comes second finds the other: an event is not lost to a saga that reaches its wait a moment
 * later. Delivery itself is a fenced transition, so finding each other twice delivers once.
 */
export class EventInbox {
  constructor(
    private readonly registry: SagaRegistry,
    private readonly store: RedisSagaStore,
    private readonly dispatcher: StepDispatcher,
    private readonly redis: Redis,
    /** How long an event is kept for sagas that have not reached their wait yet. */
    readonly retentionMs: number,
  ) {}

  /** Keeps an event for waits that begin within the retention, dropping older ones of its type and key. */
  async keep(event: KeyedEvent): Promise<void> {
    const mailbox = this.store.keys.mailbox(event.type, event.key);
    const now = Date.now();
    const pipeline = this.redis.pipeline();
    pipeline.zadd(mailbox, now, JSON.stringify({ id: event.id, payload: event.payload }));
    pipeline.zremrangebyscore(mailbox, '-inf', now - this.retentionMs);
    pipeline.pexpire(mailbox, this.retentionMs);
    await execAll(pipeline);
  }

  /** Registers a saga as waiting for an event of this type and key, for at least `ttlMs`. */
  async addWaiter(eventType: string, key: string, sagaId: string, ttlMs: number): Promise<void> {
    const waiters = this.store.keys.waiters(eventType, key);
    const pipeline = this.redis.pipeline();
    pipeline.sadd(waiters, sagaId);
    // The set outlives its longest wait, so an entry whose wait timed out does not stay for ever.
    const ttl = Math.ceil(ttlMs) + this.retentionMs;
    pipeline.pexpire(waiters, ttl, 'NX');
    pipeline.pexpire(waiters, ttl, 'GT');
    await execAll(pipeline);
  }

  async removeWaiter(eventType: string, key: string, sagaId: string): Promise<void> {
    await guardRedis(() => this.redis.srem(this.store.keys.waiters(eventType, key), sagaId));
  }

  /**
   * Ends a just-parked saga's wait with the oldest kept event it has not taken yet. The transition, or
   * `undefined` when no kept event fits and the saga still waits.
   */
  async deliverKept(step: StepDefinition, sagaId: string, key: string): Promise<Transition | undefined> {
    const eventType = step.wait?.event as string;
    const kept = await guardRedis(() =>
      this.redis.zrangebyscore(this.store.keys.mailbox(eventType, key), Date.now() - this.retentionMs, '+inf'),
    );
    for (const member of kept) {
      const { id, payload } = JSON.parse(member) as { id: string; payload: Record<string, unknown> };
      const checked = await this.checkPayload(step, payload);
      if (!checked.valid) continue;
      const transition = await this.store.deliver(sagaId, { id, type: eventType, key, payload: checked.payload });
      if (transition.outcome !== 'stale' || transition.cursor.status !== 'waiting') {
        await this.removeWaiter(eventType, key, sagaId);
        return transition;
      }
    }
    return undefined;
  }

  /** Ends the wait of every saga waiting for this event's type and key, and adds the job of each one's next step. */
  async deliverToWaiters(event: KeyedEvent): Promise<{ resumed: string[]; rejected: EventRejection[] }> {
    const resumed: string[] = [];
    const rejected: EventRejection[] = [];
    const waiters = await guardRedis(() => this.redis.smembers(this.store.keys.waiters(event.type, event.key)));
    for (const sagaId of waiters) {
      const head = await this.store.head(sagaId);
      if (head?.cursor.status !== 'waiting') {
        await this.removeWaiter(event.type, event.key, sagaId);
        continue;
      }
      // Without the saga's definition version this process can neither check the payload nor add the next job:
      // the saga keeps waiting, for a later event published where the version is registered, or for its timer.
      const definition = this.registry.find(head.name, head.version);
      if (!definition) continue;
      const step = definition.steps[head.cursor.index as number];
      const checked = await this.checkPayload(step, event.payload);
      if (!checked.valid) {
        rejected.push({
          saga: head.name,
          sagaId,
          reason: 'payload invalid for the waiting step',
          errors: checked.errors,
        });
        continue;
      }
      const transition = await this.store.deliver(sagaId, { ...event, payload: checked.payload });
      if (transition.outcome === 'applied') {
        resumed.push(sagaId);
        await this.dispatcher.follow(definition, sagaId, transition);
        await this.dispatcher.removeTimer(definition, {
          sagaId,
          phase: 'run',
          index: head.cursor.index as number,
          gen: head.cursor.gen,
        });
      }
      if (transition.outcome !== 'stale' || transition.cursor.status !== 'waiting') {
        await this.removeWaiter(event.type, event.key, sagaId);
      }
    }
    return { resumed, rejected };
  }

  /** What publishing an event did, if it was published before. */
  async recorded<T>(eventId: string): Promise<T | undefined> {
    const result = await guardRedis(() => this.redis.get(this.store.keys.event(eventId)));
    return result ? (JSON.parse(result) as T) : undefined;
  }

  /** Records what publishing an event did, unless a concurrent publish of it did first; the record that holds. */
  async record<T>(eventId: string, result: T): Promise<T> {
    const key = this.store.keys.event(eventId);
    const set = await guardRedis(() => this.redis.set(key, JSON.stringify(result), 'PX', this.retentionMs, 'NX'));
    return set === 'OK' ? result : ((await this.recorded<T>(eventId)) ?? result);
  }

  private async checkPayload(
    step: StepDefinition,
    payload: Record<string, unknown>,
  ): Promise<{ valid: true; payload: Record<string, unknown> } | { valid: false; errors: InputFieldError[] }> {
    const type = step.wait?.payload;
    if (!type) return { valid: true, payload };
    const checked = await validateObject(type, payload);
    return checked.valid ? { valid: true, payload: { ...checked.value } } : checked;
  }
}
