import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { guardRedis } from '@sagaflow/core';

/** A payout to a merchant whose id begins with this takes {@link SLOW_PAYOUT_MS}: long enough to kill a worker. */
export const SLOW_MERCHANT_PREFIX = 'slow-';
export const SLOW_PAYOUT_MS = 1_500;

/** One line of a merchant's payout log. @publicApi */
export interface PayoutLogEntry {
  /** `started`: an attempt began sending; `sent`: the payout left (once per payout, however often attempted). */
  event: 'started' | 'sent';
  payoutId: string;
  at: string;
}

/**
 * A fake payment rail in Redis, of the kind that refuses or double-pays when one merchant's payouts overlap: it
 * logs when each attempt starts and when each payout is sent, so that the demo (and the tests) can check that the
 * saga's concurrency key kept them one at a time. A payout is sent at most once per idempotency key.
 * A plain class, free of Nest; its state lives under `<prefix>:demo:{payouts}:`.
 * @publicApi
 */
export class PayoutRail {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Sends a payout once per `idempotencyKey`; true when this call sent it. */
  async send(merchantId: string, payoutId: string, amountCents: number, idempotencyKey: string): Promise<boolean> {
    await this.append(merchantId, 'started', payoutId);
    if (merchantId.startsWith(SLOW_MERCHANT_PREFIX)) await delay(SLOW_PAYOUT_MS);
    const sent = await guardRedis(() => this.redis.set(this.key(`sent:${idempotencyKey}`), amountCents, 'NX'));
    if (sent) await this.append(merchantId, 'sent', payoutId);
    return sent !== null;
  }

  /** The merchant's log, oldest first. */
  async log(merchantId: string): Promise<PayoutLogEntry[]> {
    const lines = await guardRedis(() => this.redis.lrange(this.key(`log:${merchantId}`), 0, -1));
    return lines.map((line) => JSON.parse(line) as PayoutLogEntry);
  }

  private async append(merchantId: string, event: PayoutLogEntry['event'], payoutId: string): Promise<void> {
    const entry: PayoutLogEntry = { event, payoutId, at: new Date().toISOString() };
    await guardRedis(() => this.redis.rpush(this.key(`log:${merchantId}`), JSON.stringify(entry)));
  }

  private key(name: string): string {
    return `${this.prefix}:demo:{payouts}:${name}`;
  }
}
