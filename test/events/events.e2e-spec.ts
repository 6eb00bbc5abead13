import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { PublishResult, SagaRecord } from '@sagaflow/core';
import { order, type Stock } from '../checkout/order.fixture';
import { readSaga, transfer, waitForSaga } from '../faults/transfer.fixture';
import { SagaflowSystem } from '../support/apps';
import { connect } from '../support/redis';

interface Started {
  id: string;
  name: string;
  status: string;
  created: boolean;
}
interface Loyalty {
  memberId: string;
  points: number;
  notifications: unknown[];
}

/**
 * Event-triggered sagas over HTTP, with the built API and worker processes: the checkout saga is started by
 * `order.placed` and waits for `shipment.delivered`; the loyalty saga is started by the same event when it names a
 * member, notifies the member (no compensation) and sleeps through the return window.
 */
describe('events, waits, timers, idempotent starts and cancellation', () => {
  let system: SagaflowSystem;

  beforeAll(async () => {
    system = await SagaflowSystem.start({ env: { LOYALTY_RETURN_WINDOW: '1h' } });
  });
  afterAll(() => system.stop());

  const publish = (event: object) => system.request<PublishResult>('POST', '/events', event);
  const orderPlaced = (input: object, extra: object = {}) => ({ type: 'order.placed', payload: input, ...extra });
  const stock = async (sku: string) => (await system.request<Stock>('GET', `/demo/inventory/${sku}`)).body;
  const payment = async (orderId: string) =>
    (await system.request<{ status: string; amountCents: number }>('GET', `/demo/payments/${orderId}`)).body;
  const shipment = async (orderId: string) =>
    (await system.request<{ status: string }>('GET', `/demo/shipments/${orderId}`)).body;
  const waiting = (id: string) => waitForSaga(system, id, (saga) => saga.status === 'waiting');

  /** Publishes `order.placed` and waits until the checkout it starts waits for its delivery. */
  async function placeOrder(input = order()): Promise<{ input: ReturnType<typeof order>; saga: SagaRecord }> {
    const placed = await publish(orderPlaced(input));
    expect(placed.status).toBe(202);
    expect(placed.body.started).toHaveLength(1);
    return { input, saga: await waiting(placed.body.started[0]) };
  }

  it('starts the checkout from order.placed and parks it waiting for the delivery of its order', async () => {
    const mugBefore = await stock('SKU-MUG');
    const { input, saga } = await placeOrder();

    expect(saga.name).toBe('checkout');
    expect(saga.waitingFor).toMatchObject({ step: 'awaitDelivery', event: 'shipment.delivered', key: input.orderId });
    expect(saga.steps.map((step) => step.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'waiting']);
    expect((await stock('SKU-MUG')).shipped).toBe(mugBefore.shipped + 2);
    expect(await payment(input.orderId)).toMatchObject({ status: 'captured' });
    expect(await shipment(input.orderId)).toMatchObject({ status: 'created' });
  });

  it('starts every saga the event triggers, and lists a saga that refuses it without stopping the others', async () => {
    const memberId = `M-${Math.floor(Math.random() * 1e9)}`;
    const both = await publish(orderPlaced({ ...order(), memberId }));
    expect(both.body.started).toHaveLength(2);
    const sagas = await Promise.all(both.body.started.map((id) => readSaga(system, id)));
    expect(sagas.map((saga) => saga.name).sort()).toEqual(['checkout', 'loyalty']);
    const loyalty = await waiting(sagas.find((saga) => saga.name === 'loyalty')?.id as string);
    expect(loyalty.waitingFor).toMatchObject({ step: 'returnWindow' });
    expect(loyalty.waitingFor?.event).toBeUndefined();
    const member = (await system.request<Loyalty>('GET', `/demo/loyalty/${memberId}`)).body;
    expect(member).toMatchObject({ memberId, points: 0 });
    expect(member.notifications).toHaveLength(1);

    const refused = await publish(orderPlaced({ ...order(), memberId: 'bad id' }));
    expect(refused.body.started).toHaveLength(1);
    expect(refused.body.rejected).toEqual([
      expect.objectContaining({ saga: 'loyalty', errors: [expect.objectContaining({ field: 'memberId' })] }),
    ]);
    expect((await readSaga(system, refused.body.started[0])).name).toBe('checkout');
  });

  it('resumes the waiting checkout with the delivery of its own order only', async () => {
    const { input, saga } = await placeOrder();

    const other = await publish({ type: 'shipment.delivered', key: `order-${randomUUID()}`, payload: {} });
    expect(other.body.resumed).toEqual([]);
    expect((await readSaga(system, saga.id)).status).toBe('waiting');

    const delivered = await system.request<{ status: string; event: PublishResult }>(
      'POST',
      `/demo/shipments/${input.orderId}/deliver`,
    );
    expect(delivered.status).toBe(200);
    expect(delivered.body.event.resumed).toEqual([saga.id]);
    const done = await waitForSaga(system, saga.id);
    expect(done.status).toBe('completed');
    expect(done.steps[3]).toMatchObject({
      status: 'succeeded',
      output: expect.objectContaining({ orderId: input.orderId }),
    });
    expect(await shipment(input.orderId)).toMatchObject({ status: 'delivered' });
    expect(await payment(input.orderId)).toMatchObject({ status: 'captured' });
  });

  it('keeps a delivery that arrives before the order reaches its wait, and delivers it there', async () => {
    const input = order();
    const early = await publish({
      id: `early-${input.orderId}`,
      type: 'shipment.delivered',
      key: input.orderId,
      payload: {},
    });
    expect(early.body).toMatchObject({ started: [], resumed: [] });
    const placed = await publish(orderPlaced(input));
    const saga = await waitForSaga(system, placed.body.started[0]);
    expect(saga.status).toBe('completed');
    expect(saga.steps[3].wait).toMatchObject({ eventId: `early-${input.orderId}` });
  });

  it('publishes an event id once: the repeat answers the first result and starts nothing', async () => {
    const input = order();
    const mugBefore = await stock('SKU-MUG');
    const event = orderPlaced(input, { id: `placed-${input.orderId}` });
    const first = await publish(event);
    const again = await publish(event);
    expect(again).toEqual(first);
    expect(first.body.started).toHaveLength(1);
    await waiting(first.body.started[0]);
    expect((await stock('SKU-MUG')).shipped).toBe(mugBefore.shipped + 2);
  });

  it('answers a repeated Idempotency-Key with the first saga (200), and another input with 409', async () => {
    const input = order();
    const key = { 'Idempotency-Key': `checkout-${input.orderId}` };
    const first = await system.request<Started>('POST', '/sagas/checkout', input, key);
    const again = await system.request<Started>('POST', '/sagas/checkout', input, key);
    const other = await system.request<{ code: string }>('POST', '/sagas/checkout', order(), key);
    expect(first).toMatchObject({ status: 202, body: { created: true } });
    expect(again).toMatchObject({ status: 200, body: { id: first.body.id, created: false } });
    expect(other).toMatchObject({ status: 409, body: { code: 'SAGA.IDEMPOTENCY_CONFLICT' } });
    await waiting(first.body.id);
    expect(await payment(input.orderId)).toMatchObject({ status: 'captured', amountCents: 4_300 });
    const bad = await system.request<{ errors: { field: string }[] }>('POST', '/sagas/checkout', input, {
      'Idempotency-Key': 'has spaces',
    });
    expect(bad).toMatchObject({ status: 400, body: { errors: [{ field: 'Idempotency-Key' }] } });
  });

  it('cancels a waiting checkout: refund, stock released, shipment cancelled, reason in the history', async () => {
    const mugBefore = await stock('SKU-MUG');
    const { input, saga } = await placeOrder();
    const cancelled = await system.request<Started>('POST', `/sagas/${saga.id}/cancel`, { reason: 'customer request' });
    expect(cancelled).toMatchObject({ status: 202, body: { status: 'compensating' } });

    const done = await waitForSaga(system, saga.id);
    expect(done.status).toBe('compensated');
    expect(done.cancellation).toMatchObject({ reason: 'customer request' });
    expect(done.history).toContainEqual(expect.objectContaining({ type: 'saga.cancelled', note: 'customer request' }));
    expect(done.steps.map((step) => step.status)).toEqual(['compensated', 'compensated', 'compensated', 'cancelled']);
    expect(await payment(input.orderId)).toMatchObject({ status: 'refunded' });
    expect(await shipment(input.orderId)).toMatchObject({ status: 'cancelled' });
    expect(await stock('SKU-MUG')).toMatchObject({ available: mugBefore.available, reserved: mugBefore.reserved });

    const again = await system.request<{ code: string }>('POST', `/sagas/${saga.id}/cancel`, {});
    expect(again).toMatchObject({ status: 409, body: { code: 'SAGA.STATE_CONFLICT' } });
  });

  it('lets a step in flight finish when its saga is cancelled, then compensates it and the steps before it', async () => {
    const balances = async () =>
      Promise.all(
        ['acct-alice', 'acct-bob'].map(
          async (account) =>
            (await system.request<{ balanceCents: number }>('GET', `/demo/accounts/${account}`)).body.balanceCents,
        ),
      );
    const before = await balances();
    const input = transfer({ reference: 'slow' });
    const { body } = await system.request<Started>('POST', '/sagas/transfer', input);
    await waitForSaga(system, body.id, (saga) => saga.steps[1].status === 'running');
    const cancelled = await system.request<Started>('POST', `/sagas/${body.id}/cancel`, { reason: 'stop' });
    expect(cancelled).toMatchObject({ status: 202, body: { status: 'running' } });

    const done = await waitForSaga(system, body.id);
    expect(done.status).toBe('compensated');
    expect(done.steps.map((step) => [step.name, step.status])).toEqual([
      ['debitSource', 'compensated'],
      ['creditDestination', 'compensated'],
    ]);
    const types = done.history.map((entry) => `${entry.type}${entry.step ? ` ${entry.step}` : ''}`);
    expect(types.indexOf('step.succeeded creditDestination')).toBeLessThan(types.indexOf('saga.compensating'));
    // The credit was applied once, and so was the debit; both were reversed: no money moved.
    expect(await balances()).toEqual(before);
    for (const op of ['creditDestination', 'debitSource']) {
      const ledger = await system.request<{ applications: number; reversed?: boolean }>(
        'GET',
        `/demo/ledger/${encodeURIComponent(`${body.id}:${op}:run`)}`,
      );
      expect(ledger.body.applications).toBe(1);
    }
  });

  it('refuses to cancel a finished saga, and one past a step without compensation, naming that step', async () => {
    const finished = await system.request<Started>('POST', '/sagas/transfer', transfer());
    await waitForSaga(system, finished.body.id);
    const refused = await system.request<{ code: string }>('POST', `/sagas/${finished.body.id}/cancel`, {});
    expect(refused).toMatchObject({ status: 409, body: { code: 'SAGA.STATE_CONFLICT' } });

    const memberId = `M-${Math.floor(Math.random() * 1e9)}`;
    const placed = await publish(orderPlaced({ ...order(), memberId }));
    const loyaltyId = (await Promise.all(placed.body.started.map((id) => readSaga(system, id)))).find(
      (saga) => saga.name === 'loyalty',
    )?.id as string;
    await waiting(loyaltyId);
    const pivot = await system.request<{ code: string; step: string; message: string }>(
      'POST',
      `/sagas/${loyaltyId}/cancel`,
      { reason: 'too late' },
    );
    expect(pivot).toMatchObject({ status: 409, body: { code: 'SAGA.PAST_PIVOT', step: 'notifyMember' } });
    expect(pivot.body.message).toContain('notifyMember');
    expect((await readSaga(system, loyaltyId)).status).toBe('waiting');
  });

  it('consumes events from the sagaflow-events BullMQ queue, and fails a malformed one with the reason', async () => {
    const redis = connect(system.env.REDIS_URL);
    const queue = new Queue('sagaflow-events', { connection: redis, prefix: system.prefix });
    try {
      const input = order();
      const job = await queue.add(
        'order.placed',
        { id: `q-${input.orderId}`, type: 'order.placed', payload: input },
        { jobId: `q-${input.orderId}` },
      );
      const published = await waitForJob(queue, job.id as string, 'completed');
      const result = published.returnvalue as PublishResult;
      expect(result.started).toHaveLength(1);
      expect((await waiting(result.started[0])).input).toEqual(input);

      const bad = await queue.add('bad', { type: 'not an event type', payload: [] });
      const failed = await waitForJob(queue, bad.id as string, 'failed');
      expect(failed.failedReason).toMatch(/type/);
      expect(failed.attemptsMade).toBe(1);
    } finally {
      await queue.close();
      await redis.quit();
    }
  });
});

describe('wait timeouts and timers, across a worker restart', () => {
  let system: SagaflowSystem;

  beforeAll(async () => {
    system = await SagaflowSystem.start({ env: { CHECKOUT_DELIVERY_TIMEOUT: '2s', LOYALTY_RETURN_WINDOW: '1s' } });
  });
  afterAll(() => system.stop());

  const payment = async (orderId: string) =>
    (await system.request<{ status: string }>('GET', `/demo/payments/${orderId}`)).body;
  const shipment = async (orderId: string) =>
    (await system.request<{ status: string }>('GET', `/demo/shipments/${orderId}`)).body;

  it('compensates a checkout whose delivery does not come in time: shipment cancelled, refund, stock released', async () => {
    const mugBefore = (await system.request<Stock>('GET', '/demo/inventory/SKU-MUG')).body;
    const input = order();
    const placed = await system.request<PublishResult>('POST', '/events', { type: 'order.placed', payload: input });
    const saga = await waitForSaga(system, placed.body.started[0]);

    expect(saga.status).toBe('compensated');
    expect(saga.steps[3]).toMatchObject({
      name: 'awaitDelivery',
      status: 'failed',
      error: { code: 'SAGA.WAIT_TIMED_OUT' },
    });
    expect(await shipment(input.orderId)).toMatchObject({ status: 'cancelled' });
    expect(await payment(input.orderId)).toMatchObject({ status: 'refunded' });
    expect((await system.request<Stock>('GET', '/demo/inventory/SKU-MUG')).body).toMatchObject({
      available: mugBefore.available,
      reserved: mugBefore.reserved,
      shipped: mugBefore.shipped,
    });
  });

  it('fires a timer that fell due while no worker ran, once, when a worker is back', async () => {
    const input = order();
    const memberId = `M-${Math.floor(Math.random() * 1e9)}`;
    const placed = await system.request<PublishResult>('POST', '/events', {
      type: 'order.placed',
      payload: { ...input, memberId },
    });
    const sagas = await Promise.all(placed.body.started.map((id) => readSaga(system, id)));
    const checkoutId = sagas.find((saga) => saga.name === 'checkout')?.id as string;
    const loyaltyId = sagas.find((saga) => saga.name === 'loyalty')?.id as string;
    await waitForSaga(system, checkoutId, (saga) => saga.status === 'waiting');

    const [worker] = system.workers;
    await worker.stop('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect((await readSaga(system, checkoutId)).status).toBe('waiting');
    await system.addWorker();

    const checkout = await waitForSaga(system, checkoutId);
    expect(checkout.status).toBe('compensated');
    expect(checkout.history.filter((entry) => entry.type === 'step.timed_out')).toHaveLength(1);
    expect(checkout.history.filter((entry) => entry.type === 'compensation.succeeded')).toHaveLength(3);
    expect(await payment(input.orderId)).toMatchObject({ status: 'refunded' });

    const loyalty = await waitForSaga(system, loyaltyId);
    expect(loyalty.status).toBe('completed');
    const member = (await system.request<Loyalty>('GET', `/demo/loyalty/${memberId}`)).body;
    expect(member.points).toBe(30);
  });
});

async function waitForJob(queue: Queue, id: string, state: 'completed' | 'failed') {
  for (let i = 0; i < 200; i++) {
    const job = await queue.getJob(id);
    // Read again once there: the job read before may predate its failure, without failedReason.
    if (job && (await job.getState()) === state) return (await queue.getJob(id)) as typeof job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`job ${id} did not become ${state}`);
}
