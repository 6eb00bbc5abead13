import { CardDeclinedError } from '../errors/card-declined.error';
import { PaymentProcessingError } from '../errors/payment-processing.error';
import { RefundRejectedError } from '../errors/refund-rejected.error';
import { connect, deleteKeys, uniquePrefix } from '../../../../../test/support/redis';
import { PaymentGateway } from './payment.gateway';
import { TEST_CARDS } from './test-cards';

const activeTimers = () => process.getActiveResourcesInfo().filter((type) => type === 'Timeout').length;

describe('PaymentGateway (against a real Redis)', () => {
  const redis = connect();
  const signal = new AbortController().signal;
  let prefix: string;
  let payments: PaymentGateway;

  beforeEach(() => {
    prefix = uniquePrefix();
    payments = new PaymentGateway(redis, prefix);
  });
  afterEach(() => deleteKeys(redis, prefix));
  afterAll(() => redis.quit());

  describe('charge', () => {
    it('captures the amount once per order, whatever the number of calls', async () => {
      const first = await payments.charge('order-1', 4_300, TEST_CARDS.ok, 'key-1', signal);
      const again = await payments.charge('order-1', 4_300, TEST_CARDS.ok, 'key-2', signal);

      expect(first).toEqual({ chargeId: expect.stringMatching(/^ch_/), amountCents: 4_300 });
      expect(again).toEqual(first);
      expect(await payments.getPayment('order-1')).toEqual({ status: 'captured', amountCents: 4_300 });
    });

    describe('when the card is declined', () => {
      it('throws CardDeclinedError, a permanent error, and captures nothing', async () => {
        const charging = payments.charge('order-1', 4_300, TEST_CARDS.declined, 'key-1', signal);

        await expect(charging).rejects.toThrow(CardDeclinedError);
        await expect(charging).rejects.toMatchObject({ code: 'CHECKOUT.CARD_DECLINED', cardLast4: '0002' });
        expect(await payments.getPayment('order-1')).toBeUndefined();
      });
    });

    describe('when the processor fails twice, then accepts', () => {
      it('throws the transient PaymentProcessingError twice, then captures on the third attempt', async () => {
        const attempt = () => payments.charge('order-1', 4_300, TEST_CARDS.failsTwiceThenSucceeds, 'key-1', signal);

        await expect(attempt()).rejects.toThrow(PaymentProcessingError);
        expect(await payments.getPayment('order-1')).toBeUndefined();
        await expect(attempt()).rejects.toThrow(PaymentProcessingError);
        await expect(attempt()).resolves.toMatchObject({ amountCents: 4_300 });
        expect(await payments.getPayment('order-1')).toEqual({ status: 'captured', amountCents: 4_300 });
      });

      it('counts the attempts of each idempotency key apart', async () => {
        const card = TEST_CARDS.failsTwiceThenSucceeds;
        await expect(payments.charge('order-1', 100, card, 'key-1', signal)).rejects.toThrow(PaymentProcessingError);
        await expect(payments.charge('order-1', 100, card, 'key-2', signal)).rejects.toThrow(PaymentProcessingError);
        await expect(payments.charge('order-1', 100, card, 'key-1', signal)).rejects.toThrow(PaymentProcessingError);
      });
    });

    describe('when the processor hangs', () => {
      it('waits until the signal aborts, then rejects, captures nothing and leaves no timer behind', async () => {
        const timersBefore = activeTimers();
        const controller = new AbortController();
        const charging = payments.charge('order-1', 4_300, TEST_CARDS.hangs, 'key-1', controller.signal);
        // Let the charge reach the processor's wait before aborting it.
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(activeTimers()).toBe(timersBefore + 1);

        controller.abort();

        await expect(charging).rejects.toMatchObject({ name: 'AbortError' });
        expect(activeTimers()).toBe(timersBefore);
        expect(await payments.getPayment('order-1')).toBeUndefined();
      });

      it('rejects at once when the signal is already aborted', async () => {
        const charging = payments.charge('order-1', 4_300, TEST_CARDS.hangs, 'key-1', AbortSignal.abort());
        await expect(charging).rejects.toMatchObject({ name: 'AbortError' });
      });
    });
  });

  describe('refund', () => {
    it('refunds the charge once', async () => {
      await payments.charge('order-1', 4_300, TEST_CARDS.ok, 'key-1', signal);

      expect(await payments.refund('order-1', 'refund-key-1')).toBe(true);
      expect(await payments.refund('order-1', 'refund-key-1')).toBe(false);
      expect(await payments.getPayment('order-1')).toEqual({ status: 'refunded', amountCents: 4_300 });
    });

    it('does nothing for an order that was never charged', async () => {
      expect(await payments.refund('order-1', 'refund-key-1')).toBe(false);
      expect(await payments.getPayment('order-1')).toBeUndefined();
    });

    describe('when the processor rejects refunds of the card', () => {
      it('throws the transient RefundRejectedError on every attempt, and the charge stays captured', async () => {
        await payments.charge('order-1', 4_300, TEST_CARDS.refundRejected, 'key-1', signal);

        for (let attempt = 0; attempt < 3; attempt++) {
          await expect(payments.refund('order-1', 'refund-key-1')).rejects.toThrow(RefundRejectedError);
        }
        expect(await payments.getPayment('order-1')).toEqual({ status: 'captured', amountCents: 4_300 });
      });
    });
  });
});
