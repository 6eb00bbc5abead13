import type { SagaRecord } from '@sagaflow/core';
import { SagaflowSystem } from '../support/apps';
import { waitFor } from '../support/wait-for';
import { SETTLED, deliver, deliverAndSettle } from './delivery.fixture';
import { CARDS, order, type Stock } from './order.fixture';

const TERMINAL = ['completed', 'compensated', 'compensation_failed'];

describe('checkout saga, over HTTP, with the API and a worker process', () => {
  let system: SagaflowSystem;

  beforeAll(async () => {
    system = await SagaflowSystem.start();
  });
  afterAll(() => system.stop());

  const stock = async (sku: string) => (await system.request<Stock>('GET', `/demo/inventory/${sku}`)).body;
  const payment = (orderId: string) =>
    system.request<{ status: string; amountCents: number }>('GET', `/demo/payments/${orderId}`);
  const shipment = (orderId: string) => system.request<{ status: string }>('GET', `/demo/shipments/${orderId}`);

  const read = async (id: string) => (await system.request<SagaRecord>('GET', `/sagas/${id}`)).body;

  /** Starts a checkout and waits until it has nothing more to do by itself: ended, or waiting for its delivery. */
  async function checkout(input: ReturnType<typeof order>): Promise<SagaRecord> {
    const started = await system.request<{ id: string; name: string; status: string }>(
      'POST',
      '/sagas/checkout',
      input,
    );
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ id: expect.any(String), name: 'checkout', status: 'running' });
    return waitFor(
      () => read(started.body.id),
      (saga) => SETTLED.includes(saga.status),
    );
  }

  describe('when every step succeeds', () => {
    it('ships, then waits for the delivery: stock shipped, card captured, shipment created', async () => {
      const [mugBefore, coffeeBefore] = [await stock('SKU-MUG'), await stock('SKU-COFFEE')];
      const input = order();
      const saga = await checkout(input);

      expect(saga.status).toBe('waiting');
      expect(saga.waitingFor).toMatchObject({ step: 'awaitDelivery', event: 'shipment.delivered', key: input.orderId });
      expect(saga.steps.map((step) => [step.name, step.status])).toEqual([
        ['reserveInventory', 'succeeded'],
        ['chargePayment', 'succeeded'],
        ['shipOrder', 'succeeded'],
        ['awaitDelivery', 'waiting'],
      ]);
      expect(saga.input).toEqual(input);
      expect(await stock('SKU-MUG')).toMatchObject({
        available: mugBefore.available - 2,
        reserved: mugBefore.reserved,
        shipped: mugBefore.shipped + 2,
      });
      expect((await stock('SKU-COFFEE')).available).toBe(coffeeBefore.available - 1);
      expect((await payment(input.orderId)).body).toEqual({ status: 'captured', amountCents: 4_300 });
      expect((await shipment(input.orderId)).body).toMatchObject({ status: 'created' });
    });

    it('completes once the parcel is delivered, with the delivery as the output of awaitDelivery', async () => {
      const mugBefore = await stock('SKU-MUG');
      const input = order();
      const waiting = await checkout(input);

      const delivered = await deliver(system, input.orderId);
      expect(delivered.status).toBe(200);
      const shipmentId = (waiting.steps[2].output as { shipmentId: string }).shipmentId;
      expect(delivered.body).toMatchObject({
        shipmentId,
        status: 'delivered',
        deliveredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        event: {
          eventId: `shipment-delivered-${input.orderId}`,
          started: [],
          resumed: [waiting.id],
          rejected: [],
        },
      });
      const saga = await waitFor(
        () => read(waiting.id),
        (current) => TERMINAL.includes(current.status),
      );

      expect(saga.status).toBe('completed');
      expect(saga.steps[3]).toMatchObject({
        name: 'awaitDelivery',
        status: 'succeeded',
        output: { orderId: input.orderId, shipmentId, deliveredAt: delivered.body.deliveredAt },
        wait: { eventId: `shipment-delivered-${input.orderId}` },
      });
      expect(saga.history.map((entry) => entry.type)).toEqual([
        'saga.started',
        'step.started',
        'step.succeeded',
        'step.started',
        'step.succeeded',
        'step.started',
        'step.succeeded',
        'step.started',
        'step.waiting',
        'event.received',
        'step.succeeded',
        'saga.completed',
      ]);
      // Delivered units stay shipped; the charge stays captured.
      expect(await stock('SKU-MUG')).toMatchObject({
        available: mugBefore.available - 2,
        shipped: mugBefore.shipped + 2,
      });
      expect((await payment(input.orderId)).body).toEqual({ status: 'captured', amountCents: 4_300 });
      expect((await shipment(input.orderId)).body).toMatchObject({ status: 'delivered' });

      // The carrier reporting the delivery again publishes nothing new.
      const again = await deliver(system, input.orderId);
      expect(again).toEqual(delivered);
      expect((await read(saga.id)).history).toHaveLength(saga.history.length);
    });
  });

  describe('when a step fails for good', () => {
    it('an order beyond stock fails at reserveInventory and moves no stock', async () => {
      const before = await stock('SKU-GRINDER');
      const input = order({ items: [{ sku: 'SKU-GRINDER', quantity: before.available + 1, priceCents: 9_900 }] });
      const saga = await checkout(input);

      expect(saga.status).toBe('compensated');
      expect(saga.error).toMatchObject({ step: 'reserveInventory' });
      expect(saga.steps.map((step) => step.status)).toEqual(['failed', 'pending', 'pending', 'pending']);
      expect(saga.steps[0].attempts).toBe(1);
      expect(await stock('SKU-GRINDER')).toEqual(before);
      expect((await payment(input.orderId)).status).toBe(404);
    });

    it('a declined card releases the reservation and charges nothing', async () => {
      const before = await stock('SKU-MUG');
      const input = order({ payment: { cardNumber: CARDS.declined } });
      const saga = await checkout(input);

      expect(saga.status).toBe('compensated');
      expect(saga.steps.map((step) => step.status)).toEqual(['compensated', 'failed', 'pending', 'pending']);
      expect(saga.steps[1]).toMatchObject({ attempts: 1, error: { code: 'CHECKOUT.CARD_DECLINED' } });
      expect(await stock('SKU-MUG')).toEqual(before);
      expect((await payment(input.orderId)).status).toBe(404);
    });

    it('an AQ address refunds the charge and releases the stock, newest first', async () => {
      const before = await stock('SKU-MUG');
      const input = order({ shippingAddress: { line1: 'McMurdo Station', city: 'Ross Island', country: 'AQ' } });
      const saga = await checkout(input);

      expect(saga.status).toBe('compensated');
      expect(saga.steps.map((step) => step.status)).toEqual(['compensated', 'compensated', 'failed', 'pending']);
      expect(
        saga.history.filter((entry) => entry.type === 'compensation.succeeded').map((entry) => entry.step),
      ).toEqual(['chargePayment', 'reserveInventory']);
      expect((await payment(input.orderId)).body).toEqual({ status: 'refunded', amountCents: 4_300 });
      expect(await stock('SKU-MUG')).toEqual(before);
      expect((await shipment(input.orderId)).status).toBe(404);
    });
  });

  describe('when a step fails transiently', () => {
    it('retries the charge until the processor accepts it, with one capture, and ships', async () => {
      const input = order({ payment: { cardNumber: CARDS.failsTwiceThenSucceeds } });
      const saga = await checkout(input);

      expect(saga.status).toBe('waiting');
      expect(saga.waitingFor).toMatchObject({ step: 'awaitDelivery' });
      expect(saga.steps[1]).toMatchObject({ status: 'succeeded', attempts: 3 });
      expect(saga.history.filter((entry) => entry.type === 'step.failed')).toHaveLength(2);
      expect((await payment(input.orderId)).body).toEqual({ status: 'captured', amountCents: 4_300 });
    });
  });

  describe('when a step times out', () => {
    it('gives up after its attempts and compensates', async () => {
      const before = await stock('SKU-MUG');
      const input = order({ payment: { cardNumber: CARDS.processorHangs } });
      const saga = await checkout(input);

      expect(saga.status).toBe('compensated');
      expect(saga.steps[1]).toMatchObject({ status: 'failed', attempts: 3, error: { name: 'StepTimedOutError' } });
      expect(await stock('SKU-MUG')).toEqual(before);
      expect((await payment(input.orderId)).status).toBe(404);
    });
  });

  describe('when a compensation keeps failing', () => {
    it('parks the saga as compensation_failed, leaves the steps before it untouched; then retry and resolve work', async () => {
      const before = await stock('SKU-MUG');
      const input = order({
        payment: { cardNumber: CARDS.refundRejected },
        shippingAddress: { line1: 'McMurdo Station', city: 'Ross Island', country: 'AQ' },
      });
      const saga = await checkout(input);

      expect(saga.status).toBe('compensation_failed');
      expect(saga.steps[1]).toMatchObject({
        status: 'compensation_failed',
        compensation: { attempts: 3, error: { code: 'CHECKOUT.REFUND_REJECTED' } },
      });
      expect(saga.steps[0].status).toBe('succeeded');
      expect((await payment(input.orderId)).body.status).toBe('captured');
      expect((await stock('SKU-MUG')).reserved).toBe(before.reserved + 2);

      // An operator retries: the processor still rejects the refund, so the saga parks again.
      const retried = await system.request('POST', `/sagas/${saga.id}/retry`, { note: 'processor says it is fixed' });
      expect(retried).toEqual({ status: 202, body: { id: saga.id, name: 'checkout', status: 'compensating' } });
      const again = await waitFor(
        async () => (await system.request<SagaRecord>('GET', `/sagas/${saga.id}`)).body,
        (current) =>
          current.status === 'compensation_failed' &&
          current.history.at(-1)?.type === 'saga.compensation_failed' &&
          current.history.some((entry) => entry.type === 'saga.retried'),
      );
      expect(again.history.filter((entry) => entry.type === 'compensation.failed')).toHaveLength(6);

      // Then resolves it by hand.
      const resolved = await system.request('POST', `/sagas/${saga.id}/resolve`, {
        note: 'refunded by bank transfer, ticket 4711',
      });
      expect(resolved).toEqual({ status: 200, body: { id: saga.id, name: 'checkout', status: 'compensated' } });
      const final = (await system.request<SagaRecord>('GET', `/sagas/${saga.id}`)).body;
      expect(final.status).toBe('compensated');
      expect(final.history.at(-1)).toMatchObject({
        type: 'saga.resolved',
        note: 'refunded by bank transfer, ticket 4711',
      });
    });
  });

  describe('when the carrier reports a delivery (POST /demo/shipments/:orderId/deliver)', () => {
    it('answers 404 for an order without shipment, and publishes nothing', async () => {
      const input = order({ shippingAddress: { line1: 'McMurdo Station', city: 'Ross Island', country: 'AQ' } });
      const saga = await checkout(input);
      expect(saga.status).toBe('compensated');

      const delivered = await deliver(system, input.orderId);
      expect(delivered).toEqual({
        status: 404,
        body: { statusCode: 404, code: 'DEMO.NOT_FOUND', message: `Order "${input.orderId}" has no shipment.` },
      });
    });

    it('answers 409 for the shipment of a cancelled checkout, which stays compensated', async () => {
      const before = await stock('SKU-MUG');
      const input = order();
      const waiting = await checkout(input);
      expect((await system.request('POST', `/sagas/${waiting.id}/cancel`, { reason: 'changed my mind' })).status).toBe(
        202,
      );
      const saga = await waitFor(
        () => read(waiting.id),
        (current) => TERMINAL.includes(current.status),
      );
      expect(saga.status).toBe('compensated');

      const delivered = await deliver(system, input.orderId);
      expect(delivered.status).toBe(409);
      expect(delivered.body).toMatchObject({ code: 'CHECKOUT.SHIPMENT_CANCELLED' });
      expect((await shipment(input.orderId)).body).toMatchObject({ status: 'cancelled' });
      expect(await stock('SKU-MUG')).toEqual(before);
      expect((await read(saga.id)).history).toEqual(saga.history);
    });
  });

  describe('operator actions on a saga that is not parked', () => {
    it('answer 409 for retry and resolve, 400 for a resolve without a note, 404 for an unknown saga', async () => {
      const saga = await deliverAndSettle(system, (await checkout(order())).id);
      expect(saga.status).toBe('completed');

      const retry = await system.request<{ code: string }>('POST', `/sagas/${saga.id}/retry`);
      expect(retry.status).toBe(409);
      expect(retry.body.code).toBe('SAGA.STATE_CONFLICT');
      expect((await system.request('POST', `/sagas/${saga.id}/resolve`, { note: 'x' })).status).toBe(409);
      expect((await system.request('POST', `/sagas/${saga.id}/resolve`, {})).status).toBe(400);
      expect((await system.request('POST', '/sagas/0190a0d2-0000-7000-8000-000000000000/retry')).status).toBe(404);
      expect((await system.request<SagaRecord>('GET', `/sagas/${saga.id}`)).body.status).toBe('completed');
    });
  });
});
