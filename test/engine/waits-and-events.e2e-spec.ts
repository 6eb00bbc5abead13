import { IsInt, IsString } from 'class-validator';
import {
  PermanentError,
  SagaIdempotencyConflictError,
  SagaPastPivotError,
  SagaStateConflictError,
  defineSaga,
  newSagaId,
  type SagaRecord,
} from '@sagaflow/core';
import { waitFor } from '../support/wait-for';
import { Engine, Input, recordingStep } from './engine.fixture';

const fast = { retry: { attempts: 3, backoff: 10 }, compensation: { retry: { attempts: 3, backoff: 10 } } };

class Delivered {
  @IsString()
  carrier!: string;
}

class Points {
  @IsString()
  orderId!: string;

  @IsInt()
  points!: number;
}

/** ship → wait for `shipment.delivered` keyed by order id → close. */
function deliverySaga(calls: string[], timeout: `${number}${'ms' | 's'}` = '10s') {
  return defineSaga('delivery', { input: Input, startOn: ['order.placed'] })
    .step('ship', recordingStep(calls, 'ship'), fast)
    .waitFor('awaitDelivery', {
      event: 'shipment.delivered',
      key: ({ input }) => input.orderId,
      timeout,
      payload: Delivered,
    })
    .step('close', recordingStep(calls, 'close'), fast)
    .build();
}

function statusOf(engine: Engine, id: string, status: SagaRecord['status']): Promise<SagaRecord> {
  return waitFor(
    () => engine.client.get(id),
    (saga) => saga.status === status,
  );
}

describe('waits, events, cancellation and idempotent starts', () => {
  let engine: Engine;
  afterEach(() => engine.close());

  it('parks a saga at a wait step and resumes it with the correlated event, whose payload becomes the output', async () => {
    const calls: string[] = [];
    engine = new Engine(deliverySaga(calls));
    const { id } = await engine.client.start('delivery', { orderId: 'o-1' });
    const waiting = await statusOf(engine, id, 'waiting');
    expect(waiting.waitingFor).toMatchObject({ step: 'awaitDelivery', event: 'shipment.delivered', key: 'o-1' });

    const other = await engine.client.publish({ type: 'shipment.delivered', key: 'o-2', payload: { carrier: 'DHL' } });
    expect(other.resumed).toEqual([]);
    expect((await engine.client.get(id)).status).toBe('waiting');

    const result = await engine.client.publish({ type: 'shipment.delivered', key: 'o-1', payload: { carrier: 'UPS' } });
    expect(result.resumed).toEqual([id]);
    const saga = await engine.waitUntilFinished(id);
    expect(saga.status).toBe('completed');
    expect(saga.steps[1]).toMatchObject({ status: 'succeeded', output: { carrier: 'UPS' } });
    expect(saga.history.map((entry) => entry.type)).toContain('event.received');
    expect(calls.map((call) => call.split(' ')[1])).toEqual(['ship', 'close']);
  });

  it('keeps an event that arrives before the saga reaches its wait, and delivers it there', async () => {
    engine = new Engine(deliverySaga([]));
    await engine.client.publish({ id: 'early-1', type: 'shipment.delivered', key: 'o-7', payload: { carrier: 'UPS' } });
    const { id } = await engine.client.start('delivery', { orderId: 'o-7' });
    const saga = await engine.waitUntilFinished(id);
    expect(saga.status).toBe('completed');
    expect(saga.steps[1].wait).toMatchObject({ eventId: 'early-1' });
  });

  it('refuses an event whose payload does not fit the wait, and goes on waiting', async () => {
    engine = new Engine(deliverySaga([]));
    const { id } = await engine.client.start('delivery', { orderId: 'o-3' });
    await statusOf(engine, id, 'waiting');
    const result = await engine.client.publish({ type: 'shipment.delivered', key: 'o-3', payload: { carrier: 42 } });
    expect(result.resumed).toEqual([]);
    expect(result.rejected).toEqual([expect.objectContaining({ saga: 'delivery', sagaId: id })]);
    expect((await engine.client.get(id)).status).toBe('waiting');
  });

  it('fails the wait at its timeout, once, and compensates the steps before it', async () => {
    const calls: string[] = [];
    engine = new Engine(deliverySaga(calls, '300ms'));
    const { id } = await engine.client.start('delivery', { orderId: 'o-4' });
    const saga = await engine.waitUntilFinished(id);
    expect(saga.status).toBe('compensated');
    expect(saga.steps[1]).toMatchObject({ status: 'failed', error: { code: 'SAGA.WAIT_TIMED_OUT' } });
    expect(calls.map((call) => call.split(' ').slice(0, 2).join(' '))).toEqual(['run ship', 'compensate ship']);
    expect(saga.history.filter((entry) => entry.type === 'step.timed_out')).toHaveLength(1);
    // A late event finds nothing to resume.
    const late = await engine.client.publish({ type: 'shipment.delivered', key: 'o-4', payload: { carrier: 'UPS' } });
    expect(late.resumed).toEqual([]);
  });

  it('lets the sweeper give a waiting saga whose timer job was lost a new one, once it is overdue', async () => {
    engine = new Engine(deliverySaga([], '300ms'));
    const { id } = await engine.client.start('delivery', { orderId: 'o-6' });
    await statusOf(engine, id, 'waiting');
    const queue = engine.queueOf('delivery', id);
    const [timer] = await queue.getJobs(['delayed']);
    await timer.remove();
    expect((await engine.sweeper.sweep()).redriven).toBe(0); // not overdue yet: its timer is trusted
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await engine.sweeper.sweep()).redriven).toBe(1);
    const saga = await engine.waitUntilFinished(id);
    expect(saga.status).toBe('compensated');
    expect(saga.steps[1]).toMatchObject({ status: 'failed', error: { code: 'SAGA.WAIT_TIMED_OUT' } });
  });

  it('parks a saga again when a crash cut its parking short, and gives it the event kept meanwhile', async () => {
    engine = new Engine(deliverySaga([]), { startWorkers: false });
    const { id } = await engine.client.start('delivery', { orderId: 'o-8' });
    // What a worker that dies right after parking leaves: the saga waiting, but no waiter entry and no timer.
    const ship = { sagaId: id, phase: 'run' as const, index: 0, gen: 0 };
    await engine.store.begin(ship, 1, 'ship', 'dead-job');
    await engine.store.complete(ship, 1, 'ship', {}, 'dead-job');
    const wait = { ...ship, index: 1 };
    await engine.store.park(wait, 'awaitDelivery', { event: 'shipment.delivered', key: 'o-8', timeoutMs: 60_000 }, 't');
    const event = { type: 'shipment.delivered', key: 'o-8', payload: { carrier: 'UPS' } };
    expect((await engine.client.publish(event)).resumed).toEqual([]);

    // The job of the first step is redelivered, finds the saga moved on, and re-adds the wait's job.
    engine.startWorkers();
    const saga = await engine.waitUntilFinished(id);
    expect(saga.status).toBe('completed');
    expect(saga.steps[1].output).toEqual({ carrier: 'UPS' });
  });

  it('skips a step whose condition does not hold: not run, not compensated, and said so in the history', async () => {
    const calls: string[] = [];
    const saga = defineSaga('gift', { input: Input })
      .step('reserve', recordingStep(calls, 'reserve'), fast)
      .step('wrap', recordingStep(calls, 'wrap'), { ...fast, when: ({ input }) => input.orderId.startsWith('gift-') })
      .step(
        'charge',
        recordingStep(calls, 'charge', { run: () => Promise.reject(new PermanentError('declined')) }),
        fast,
      )
      .build();
    engine = new Engine(saga);
    const plain = await engine.runToEnd({ orderId: 'o-20' });
    expect(plain.status).toBe('compensated');
    expect(plain.steps[1]).toMatchObject({ status: 'skipped', attempts: 0 });
    expect(plain.history.filter((entry) => entry.step === 'wrap').map((entry) => entry.type)).toEqual(['step.skipped']);
    expect(calls.map((call) => call.split(' ').slice(0, 2).join(' '))).toEqual([
      'run reserve',
      'run charge',
      'compensate reserve',
    ]);

    calls.length = 0;
    const gift = await engine.runToEnd({ orderId: 'gift-1' });
    expect(gift.steps[1].status).toBe('compensated');
    expect(calls.map((call) => call.split(' ').slice(0, 2).join(' '))).toEqual([
      'run reserve',
      'run wrap',
      'run charge',
      'compensate wrap',
      'compensate reserve',
    ]);
  });

  it('leaves a saga whose definition version is not registered waiting, shown as needing attention, until one is', async () => {
    const calls: string[] = [];
    const build = (version: number) =>
      defineSaga('versioned', { version, input: Input })
        .step('a', recordingStep(calls, `a-v${version}`), fast)
        .build();
    const [v1, v2] = [build(1), build(2)];
    engine = new Engine(v2);
    // A saga started on v1 by a process that had it, as before a deploy removed v1.
    const { id } = await engine.client.start('versioned', { orderId: 'o-21' });
    await engine.waitUntilFinished(id);
    const old = newSagaId();
    const transaction = await engine.dispatcher.transaction(v1, old);
    engine.dispatcher.addToTransaction(transaction, v1, old, { status: 'running', phase: 'run', index: 0, gen: 0 });
    await engine.store.start(v1, old, { orderId: 'o-22' }, transaction);

    const delayed = await waitFor(
      () => engine.queueOf('versioned', old).getJobs(['delayed']),
      (jobs) => jobs.length === 1,
    );
    const waiting = await engine.client.get(old);
    expect(waiting.status).toBe('running');
    expect(waiting.attention?.reason).toContain('"versioned" v1 is not registered');
    expect(await engine.sweeper.unregisteredVersions()).toEqual([{ saga: 'versioned', version: 1, sagaIds: [old] }]);

    // A process that has v1 again (a rollback, or the old workers of a rolling deploy) takes it on.
    engine.registry.register(v1);
    await delayed[0].promote();
    expect((await engine.waitUntilFinished(old)).status).toBe('completed');
    expect(calls.map((call) => call.split(' ')[1])).toEqual(['a-v2', 'a-v1']);
  });

  it('sleeps durably: the timer survives the workers going away and fires when they are back', async () => {
    const calls: string[] = [];
    engine = new Engine(
      defineSaga('nap', { input: Input })
        .step('before', recordingStep(calls, 'before'), fast)
        .sleep('nap', '700ms')
        .step('after', recordingStep(calls, 'after'), fast)
        .build(),
    );
    const { id } = await engine.client.start('nap', { orderId: 'o-5' });
    const waiting = await statusOf(engine, id, 'waiting');
    expect(waiting.waitingFor?.event).toBeUndefined();
    await engine.stopWorkers();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await engine.client.get(id)).status).toBe('waiting');
    engine.startWorkers();
    const saga = await engine.waitUntilFinished(id);
    expect(saga.status).toBe('completed');
    expect(calls.map((call) => call.split(' ')[1])).toEqual(['before', 'after']);
    const slept = Date.parse(saga.steps[1].finishedAt as string) - Date.parse(saga.steps[1].startedAt as string);
    expect(slept).toBeGreaterThanOrEqual(700);
  });

  it('starts every saga an event triggers, once per event id, and reports the ones that refuse it', async () => {
    engine = new Engine([
      deliverySaga([]),
      defineSaga('points', {
        input: Points,
        startOn: [
          { event: 'order.placed', input: ({ payload }) => ({ orderId: payload.orderId, points: payload.points }) },
        ],
      })
        .step('award', { run: async () => ({ awarded: true }) }, fast)
        .build(),
    ]);
    const first = await engine.client.publish({
      id: 'evt-1',
      type: 'order.placed',
      payload: { orderId: 'o-9', points: 5 },
    });
    // Publishing it again: nothing more happens, and the answer is the same.
    const again = await engine.client.publish({
      id: 'evt-1',
      type: 'order.placed',
      payload: { orderId: 'o-9', points: 5 },
    });
    expect(again).toEqual(first);
    expect(first.started).toHaveLength(1); // delivery refuses the extra field `points`
    expect(first.rejected).toEqual([expect.objectContaining({ saga: 'delivery' })]);
    expect((await engine.client.list({ limit: 10 })).items).toHaveLength(1);

    const other = await engine.client.publish({ type: 'order.placed', payload: { orderId: 'o-10' } });
    expect(other.started).toHaveLength(1);
    expect(other.rejected).toEqual([expect.objectContaining({ saga: 'points' })]);
  });

  it('cancels a waiting saga: the wait stops and the steps before it are compensated', async () => {
    const calls: string[] = [];
    engine = new Engine(deliverySaga(calls));
    const { id } = await engine.client.start('delivery', { orderId: 'o-12' });
    await statusOf(engine, id, 'waiting');
    const cancelled = await engine.client.cancel(id, 'customer changed their mind');
    expect(cancelled.status).toBe('compensating');
    const saga = await engine.waitUntilFinished(id);
    expect(saga.status).toBe('compensated');
    expect(saga.cancellation).toMatchObject({ reason: 'customer changed their mind' });
    expect(saga.steps[1].status).toBe('cancelled');
    expect(saga.history).toContainEqual(
      expect.objectContaining({ type: 'saga.cancelled', note: 'customer changed their mind' }),
    );
    expect(calls.map((call) => call.split(' ').slice(0, 2).join(' '))).toEqual(['run ship', 'compensate ship']);
    expect(await engine.queueOf('delivery', id).getJobs(['delayed'])).toEqual([]); // the timer went with the wait
    await expect(engine.client.cancel(id)).rejects.toBeInstanceOf(SagaStateConflictError);
  });

  it('lets a step in flight finish when its saga is cancelled, then compensates it too', async () => {
    const calls: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    engine = new Engine(
      defineSaga('slow', { input: Input })
        .step('a', recordingStep(calls, 'a'), fast)
        .step('b', recordingStep(calls, 'b', { run: () => released.then(() => ({ b: true })) }), fast)
        .step('c', recordingStep(calls, 'c'), fast)
        .build(),
    );
    const { id } = await engine.client.start('slow', { orderId: 'o-13' });
    await waitFor(
      () => engine.client.get(id),
      (saga) => saga.steps[1].status === 'running',
    );
    expect((await engine.client.cancel(id)).status).toBe('running');
    release();
    const saga = await engine.waitUntilFinished(id);
    expect(saga.status).toBe('compensated');
    expect(calls.map((call) => call.split(' ').slice(0, 2).join(' '))).toEqual([
      'run a',
      'run b',
      'compensate b',
      'compensate a',
    ]);
  });

  it('refuses to cancel a saga past a step without compensation, naming that step', async () => {
    engine = new Engine(
      defineSaga('pivot', { input: Input })
        .step('notify', { run: async () => ({ sent: true }) }, fast)
        .sleep('hold', '1m')
        .build(),
    );
    const { id } = await engine.client.start('pivot', { orderId: 'o-14' });
    await statusOf(engine, id, 'waiting');
    const refused = engine.client.cancel(id);
    await expect(refused).rejects.toBeInstanceOf(SagaPastPivotError);
    await expect(refused).rejects.toMatchObject({ step: 'notify' });
    expect((await engine.client.get(id)).status).toBe('waiting');
  });

  it('returns the first saga for a repeated idempotency key with the same input, and refuses another input', async () => {
    engine = new Engine(deliverySaga([]));
    const first = await engine.client.start('delivery', { orderId: 'o-15' }, { idempotencyKey: 'req-1' });
    const again = await engine.client.start('delivery', { orderId: 'o-15' }, { idempotencyKey: 'req-1' });
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ id: first.id, created: false });
    await expect(
      engine.client.start('delivery', { orderId: 'o-16' }, { idempotencyKey: 'req-1' }),
    ).rejects.toBeInstanceOf(SagaIdempotencyConflictError);
    // Concurrent repeats start one saga.
    const racing = await Promise.all(
      Array.from({ length: 5 }, () =>
        engine.client.start('delivery', { orderId: 'o-17' }, { idempotencyKey: 'req-2' }),
      ),
    );
    expect(new Set(racing.map((started) => started.id)).size).toBe(1);
    expect((await engine.client.list({ limit: 10 })).items).toHaveLength(2);
  });
});
