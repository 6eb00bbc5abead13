import { PermanentError, SagaNotFoundError, childSagaId, defineSaga, type Retention } from '@sagaflow/core';
import { waitFor } from '../support/wait-for';
import { Engine, Input, recordingStep } from './engine.fixture';

const RETENTION_MS = 300;
const fast = { retry: { attempts: 1, backoff: 10 }, compensation: { retry: { attempts: 1, backoff: 10 } } };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function order(calls: string[] = [], { failAt, retention }: { failAt?: string; retention?: Retention } = {}) {
  const step = (name: string) =>
    recordingStep(calls, name, failAt === name ? { run: () => Promise.reject(new PermanentError('refused')) } : {});
  return defineSaga('order', { input: Input, ...(retention && { retention }) })
    .step('reserve', step('reserve'), fast)
    .step('charge', step('charge'), fast)
    .build();
}

describe('retention of ended sagas', () => {
  let engine: Engine;
  afterEach(() => engine.close());

  /** The saga's entry in every index it was in, and whether its own keys are still there. */
  async function traces(sagaId: string, correlationKey: string) {
    const keys = engine.store.keys;
    const shard = keys.shardOf(sagaId);
    const [state, history, all, byName, byKey, active, expiring] = await Promise.all([
      engine.redis.exists(keys.state(sagaId)),
      engine.redis.exists(keys.history(sagaId)),
      engine.redis.zscore(keys.index(shard), sagaId),
      engine.redis.zscore(keys.nameIndex(shard, 'order'), sagaId),
      engine.redis.zscore(keys.keyIndex(shard, correlationKey), sagaId),
      engine.redis.zscore(keys.active(shard), sagaId),
      engine.redis.zscore(keys.expiring(shard), sagaId),
    ]);
    return { state, history, all, byName, byKey, active, expiring };
  }

  it('removes a completed saga once its retention is over: state, history, index entries, idempotency record', async () => {
    engine = new Engine(order(), { retentionMs: RETENTION_MS });
    const start = { idempotencyKey: 'order-1-start', correlationKey: 'order-1' };
    const { id } = await engine.client.start('order', { orderId: 'o-1' }, { ...start, tags: { customerId: 'c-1' } });
    expect((await engine.waitUntilFinished(id)).status).toBe('completed');

    expect(await engine.reaper.reap()).toEqual({ removed: 0, postponed: 0 });
    expect(await engine.client.get(id)).toMatchObject({ status: 'completed' });
    expect((await engine.client.list({ name: 'order', limit: 10 })).items.map((saga) => saga.id)).toEqual([id]);

    await sleep(RETENTION_MS + 50);
    expect(await engine.reaper.reap()).toEqual({ removed: 1, postponed: 0 });

    await expect(engine.client.get(id)).rejects.toBeInstanceOf(SagaNotFoundError);
    expect(await traces(id, 'order-1')).toEqual({
      state: 0,
      history: 0,
      all: null,
      byName: null,
      byKey: null,
      active: null,
      expiring: null,
    });
    expect((await engine.client.list({ name: 'order', limit: 10 })).items).toEqual([]);
    expect((await engine.client.list({ key: 'order-1', limit: 10 })).items).toEqual([]);
    expect((await engine.client.list({ tags: { customerId: 'c-1' }, limit: 10 })).items).toEqual([]);
    expect(
      await engine.redis.exists(engine.store.keys.tagIndex(engine.store.keys.shardOf(id), 'customerId', 'c-1')),
    ).toBe(0);
    expect((await engine.client.counts('order')).completed).toBe(0);
    // The key is free again: the same start makes a new saga rather than answering with the removed one.
    const again = await engine.client.start('order', { orderId: 'o-1' }, start);
    expect(again.id).not.toBe(id);
  });

  it('removes a compensated saga too, and leaves running, waiting and parked ones alone', async () => {
    const calls: string[] = [];
    const parked = defineSaga('stuck', { input: Input })
      .step('reserve', recordingStep(calls, 'reserve', { compensate: () => Promise.reject(new Error('no')) }), fast)
      .step('charge', recordingStep(calls, 'charge', { run: () => Promise.reject(new PermanentError('no')) }), fast)
      .build();
    const waiting = defineSaga('patient', { input: Input })
      .waitFor('awaitDelivery', { event: 'shipment.delivered', key: ({ input }) => input.orderId, timeout: '1h' })
      .build();
    engine = new Engine([order(calls, { failAt: 'charge' }), parked, waiting], { retentionMs: RETENTION_MS });

    const compensated = await engine.runToEnd({ orderId: 'o-2' });
    expect(compensated.status).toBe('compensated');
    const { id: parkedId } = await engine.client.start('stuck', { orderId: 'o-3' });
    expect((await engine.waitUntilFinished(parkedId)).status).toBe('compensation_failed');
    const { id: waitingId } = await engine.client.start('patient', { orderId: 'o-4' });
    await waitFor(
      () => engine.client.get(waitingId),
      (saga) => saga.status === 'waiting',
    );

    await sleep(RETENTION_MS + 50);
    expect(await engine.reaper.reap()).toEqual({ removed: 1, postponed: 0 });
    await expect(engine.client.get(compensated.id)).rejects.toBeInstanceOf(SagaNotFoundError);
    expect(await engine.client.get(parkedId)).toMatchObject({ status: 'compensation_failed' });
    expect(await engine.client.get(waitingId)).toMatchObject({ status: 'waiting' });
  });

  it("takes a definition's retention over the deployment's, 'forever' included", async () => {
    const kept = defineSaga('kept', { input: Input, retention: 'forever' })
      .step('reserve', recordingStep([], 'reserve'), fast)
      .build();
    engine = new Engine([order([], { retention: `${RETENTION_MS}ms` }), kept], { retentionMs: 3_600_000 });
    const short = await engine.runToEnd({ orderId: 'o-5' });
    const { id: keptId } = await engine.client.start('kept', { orderId: 'o-6' });
    await engine.waitUntilFinished(keptId);

    await sleep(RETENTION_MS + 50);
    expect(await engine.reaper.reap()).toEqual({ removed: 1, postponed: 0 });
    await expect(engine.client.get(short.id)).rejects.toBeInstanceOf(SagaNotFoundError);
    expect(await traces(keptId, '')).toMatchObject({ state: 1, expiring: null });
  });

  it('keeps a child saga while its parent is kept (the parent may still undo it), and removes it after', async () => {
    const shipment = defineSaga('shipment', { input: Input }).step('book', recordingStep([], 'book'), fast).build();
    const parent = defineSaga('order', { input: Input, retention: `${2 * RETENTION_MS}ms` })
      .step('reserve', recordingStep([], 'reserve'), fast)
      .child('ship', shipment, { input: ({ input }) => ({ orderId: `ship-${input.orderId}` }) })
      .build();
    engine = new Engine([parent, shipment], { retentionMs: RETENTION_MS });
    const saga = await engine.runToEnd({ orderId: 'o-7' });
    const childId = childSagaId(saga.id, 'ship');
    const kept = (id: string) =>
      engine.client.get(id).then(
        () => true,
        () => false,
      );

    // The child's retention is over, its parent's is not: the child waits.
    await sleep(RETENTION_MS + 50);
    expect(await engine.reaper.reap()).toEqual({ removed: 0, postponed: 1 });
    expect(await kept(childId)).toBe(true);

    // From now on the parent goes first, and the child once it finds the parent gone: never the other way round.
    const deadline = Date.now() + 10 * RETENTION_MS;
    while ((await kept(childId)) && Date.now() < deadline) {
      await sleep(RETENTION_MS / 3);
      await engine.reaper.reap();
      if (!(await kept(childId))) expect(await kept(saga.id)).toBe(false);
    }
    expect({ parent: await kept(saga.id), child: await kept(childId) }).toEqual({ parent: false, child: false });
  });

  it('works off a backlog in bounded batches in one pass', async () => {
    engine = new Engine(order(), { retentionMs: RETENTION_MS, reapBatchSize: 50 });
    const ids = await Promise.all(
      Array.from({ length: 120 }, async (_, i) => (await engine.client.start('order', { orderId: `b-${i}` })).id),
    );
    await Promise.all(ids.map((id) => engine.waitUntilFinished(id)));

    await sleep(RETENTION_MS + 50);
    expect(await engine.reaper.reap()).toEqual({ removed: 120, postponed: 0 });
    expect((await engine.client.list({ name: 'order', limit: 10 })).items).toEqual([]);
  });

  it("gives the saga's jobs BullMQ's age limit of its retention", async () => {
    engine = new Engine(order(), { retentionMs: 90_500 });
    const saga = await engine.runToEnd({ orderId: 'o-8' });
    const [job] = await engine.queueOf('order', saga.id).getJobs(['completed']);
    expect(job.opts).toMatchObject({ removeOnComplete: { count: 1_000, age: 91 }, removeOnFail: { age: 91 } });
  });
});
