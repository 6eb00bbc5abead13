import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { LuaScripts, execAll, guardRedis } from '@sagaflow/core';
import { CardDeclinedError } from '../errors/card-declined.error';
import { PaymentProcessingError } from '../errors/payment-processing.error';
import { RefundRejectedError } from '../errors/refund-rejected.error';
import { DemoKeys } from './demo-keys';
import type { Charge, PaymentRecord, PaymentStatus } from './payment.types';
import { TEST_CARDS } from './test-cards';
import type { ScriptReply } from './script-reply';
import { LUA_DIR } from '../../lua-dir';

const SCRIPTS = ['capture-charge-1.lua', 'refund-charge-1.lua'] as const;

/** Failed attempts of {@link TEST_CARDS.failsTwiceThenSucceeds} before it is charged. */
const TRANSIENT_FAILURES = 2;
/** How long the processor keeps a {@link TEST_CARDS.hangs} charge waiting before giving up. */
const HANG_MS = 60_000;
/** Attempt counters only matter while a charge is retried; an hour covers any retry policy of the demo. */
const ATTEMPTS_TTL_SECONDS = 3_600;

/**
 * A fake but stateful payment processor in Redis: one charge per order, refunded at most once. The cards in
 * {@link TEST_CARDS} trigger its failure modes.
 *
 * A plain class, free of Nest: `CheckoutSagaModule` builds it on the engine's connection and key prefix.
 * @publicApi
 */
export class PaymentGateway {
  private readonly keys: DemoKeys;
  private readonly scripts: LuaScripts<(typeof SCRIPTS)[number]>;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = new DemoKeys(prefix);
    this.scripts = new LuaScripts(redis, join(LUA_DIR, 'checkout'), SCRIPTS, 'checkoutDemo');
  }

  /**
   * Charges the order once: a repeated call returns the first charge and captures nothing more.
   * @param idempotencyKey - the same on every attempt of one step; counts the attempts of the flaky test card
   * @param signal - aborts a charge the processor keeps waiting
   * @throws CardDeclinedError (permanent), PaymentProcessingError (transient: retry with the same key)
   */
  async charge(
    orderId: string,
    amountCents: number,
    cardNumber: string,
    idempotencyKey: string,
    signal: AbortSignal,
  ): Promise<Charge> {
    signal.throwIfAborted();
    const key = this.keys.payment(orderId);
    const [chargeId, charged] = await guardRedis(() => this.redis.hmget(key, 'chargeId', 'amountCents'));
    // Answer a repeat before the card is looked at again: an earlier attempt may have been the one that passed.
    if (chargeId !== null) return { chargeId, amountCents: Number(charged) };

    const cardLast4 = cardNumber.slice(-4);
    if (cardNumber === TEST_CARDS.declined) throw new CardDeclinedError(orderId, cardLast4);
    if (cardNumber === TEST_CARDS.failsTwiceThenSucceeds) {
      const attempt = await this.countAttempt(orderId, idempotencyKey);
      if (attempt <= TRANSIENT_FAILURES) throw new PaymentProcessingError(orderId, `attempt ${attempt} failed`);
    }
    if (cardNumber === TEST_CARDS.hangs) {
      await delay(HANG_MS, undefined, { signal });
      throw new PaymentProcessingError(orderId, `no answer within ${HANG_MS} ms`);
    }

    const [, capturedId, amount] = await this.scripts.run<ScriptReply>(
      'capture-charge-1.lua',
      [key],
      [
        `ch_${randomUUID()}`,
        amountCents,
        cardLast4,
        cardNumber === TEST_CARDS.refundRejected ? '1' : '0',
        idempotencyKey,
      ],
    );
    return { chargeId: capturedId, amountCents: Number(amount) };
  }

  /**
   * Refunds the order's charge once.
   * @param idempotencyKey - recorded with the refund
   * @returns whether this call refunded it; `false` when it was refunded before or the order was never charged
   * @throws RefundRejectedError (transient) for {@link TEST_CARDS.refundRejected}
   */
  async refund(orderId: string, idempotencyKey: string): Promise<boolean> {
    const [code] = await this.scripts.run<ScriptReply>(
      'refund-charge-1.lua',
      [this.keys.payment(orderId)],
      [idempotencyKey],
    );
    if (code === -2) throw new RefundRejectedError(orderId);
    return code === 1;
  }

  /** The order's payment, or `undefined` when it was never charged. */
  async getPayment(orderId: string): Promise<PaymentRecord | undefined> {
    const [status, amountCents] = await guardRedis(() =>
      this.redis.hmget(this.keys.payment(orderId), 'status', 'amountCents'),
    );
    if (status === null) return undefined;
    return { status: status as PaymentStatus, amountCents: Number(amountCents) };
  }

  private async countAttempt(orderId: string, idempotencyKey: string): Promise<number> {
    const key = this.keys.paymentAttempts(orderId, idempotencyKey);
    const [attempt] = await execAll(this.redis.multi().incr(key).expire(key, ATTEMPTS_TTL_SECONDS));
    return attempt as number;
  }
}
