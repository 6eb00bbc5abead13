import { IsString } from 'class-validator';
import { commandsDuring, connect, deleteKeys, uniquePrefix } from '../../../../test/support/redis';
import { defineSaga } from '../definition/define-saga';
import { SagaAlreadyExistsError } from '../errors/saga-already-exists.error';
import { newSagaId } from './saga-id';
import { RedisSagaStore } from './redis-saga-store';
import type { StepJobRef } from './transition';

class Input {
  @IsString()
  orderId!: string;
}
const undoable = { run: async () => ({}), compensate: async () => undefined };
const final = { run: async () => ({}) };
const saga = defineSaga('order', { input: Input })
  .step('reserve', undoable)
  .step('notify', final)
  .step('charge', undoable)
  .step('ship', final)
  .build();

const waiting = defineSaga('parcel', { input: Input })
  .step('ship', undoable)
  .waitFor('delivered', { event: 'parcel.delivered', key: ({ input }) => input.orderId, timeout: '1h' })
  .step('notify', final)
  .build();
const timedOut = { name: 'WaitTimedOutError', message: 'no event', code: 'SAGA.WAIT_TIMED_OUT' };

const run = (sagaId: string, index: number, gen = 0): StepJobRef => ({ sagaId, phase: 'run', index, gen });
const compensate = (sagaId: string, index: number, gen = 0): StepJobRef => ({
  sagaId,
  phase: 'compensate',
  index,
  gen,
});
const boom = { name: 'Error', message: 'boom' };

describe('RedisSagaStore (Lua transitions against a real Redis)', () => {
  const redis = connect();
  const prefix = uniquePrefix();
  const store = new RedisSagaStore(redis, prefix);
  let id: string;

  beforeEach(async () => {
    id = newSagaId();
    await store.start(saga, id, { orderId: 'o-1' });
  });

  afterAll(async () => {
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  it('starts a saga running on its first step, with every step pending', async () => {
    const record = await store.get(id);
    expect(record).toMatchObject({ id, name: 'order', version: 1, status: 'running', input: { orderId: 'o-1' } });
    expect(record?.steps.map((step) => step.status)).toEqual(['pending', 'pending', 'pending', 'pending']);
    expect(record?.history.map((entry) => entry.type)).toEqual(['saga.started']);
  });

  it('refuses a second saga with the same id', async () => {
    await expect(store.start(saga, id, { orderId: 'o-2' })).rejects.toBeInstanceOf(SagaAlreadyExistsError);
  });

  it('hands each step the input and the outputs of the steps before it', async () => {
    await store.begin(run(id, 0), 1, 'reserve', 'test-job');
    await store.complete(run(id, 0), 1, 'reserve', { reservationId: 'r1' });
    await expect(store.begin(run(id, 1), 1, 'notify', 'test-job')).resolves.toEqual({
      outcome: 'ready',
      input: { orderId: 'o-1' },
      outputs: [{ reservationId: 'r1' }],
    });
  });

  it('hands every attempt, also one begun by the completion before it, the trace context stored at the start', async () => {
    const traced = newSagaId();
    const trace = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tracestate: 'a=1' };
    await store.start(saga, traced, { orderId: 'o-1' }, undefined, { trace });

    await expect(store.begin(run(traced, 0), 1, 'reserve', 'test-job')).resolves.toMatchObject({ trace });
    const moved = await store.complete(run(traced, 0), 1, 'reserve', {}, 'test-job', 'notify');
    expect(moved).toMatchObject({ outcome: 'applied', next: { trace } });
    expect(await store.begin(run(id, 0), 1, 'reserve', 'test-job')).not.toHaveProperty('trace');
  });

  it('completes the saga after its last step', async () => {
    for (const [index, name] of ['reserve', 'notify', 'charge', 'ship'].entries()) {
      await store.begin(run(id, index), 1, name, 'test-job');
      const moved = await store.complete(run(id, index), 1, name, { index });
      expect(moved.outcome).toBe('applied');
    }
    const record = await store.get(id);
    expect(record?.status).toBe('completed');
    expect(record?.finishedAt).toBeDefined();
    expect(record?.steps.map((step) => step.output)).toEqual([{ index: 0 }, { index: 1 }, { index: 2 }, { index: 3 }]);
  });

  describe('writes (each one a command of its own in the AOF and to replicas)', () => {
    /** The commands the scripts run on the saga's hash and history while `work` runs, reads left out. */
    async function sagaWritesOf(work: () => Promise<unknown>): Promise<string[][]> {
      const keys = [store.keys.state(id), store.keys.history(id)];
      return (await commandsDuring(redis, work))
        .filter(({ args, source }) => source === 'lua' && keys.includes(args[1]) && !/^hm?get$/i.test(args[0]))
        .map(({ args }) => [args[0].toLowerCase(), args[1] === keys[0] ? 'state' : 'history', ...args.slice(2)]);
    }

    it('begins an attempt with one HSET of the hash and one RPUSH of the history', async () => {
      const writes = await sagaWritesOf(() => store.begin(run(id, 0), 1, 'reserve', 'job-1'));

      expect(writes.map(([command, key]) => [command, key])).toEqual([
        ['hset', 'state'],
        ['rpush', 'history'],
      ]);
      expect(writes[0]).toEqual(expect.arrayContaining(['s0.status', 'running', 's0.startedAt', 'holder', 'job-1']));
      expect((await store.get(id))?.steps[0]).toMatchObject({ status: 'running', startedAt: expect.any(String) });
    });

    it('records a step, moves the cursor and begins the next in one HSET and one RPUSH of both entries', async () => {
      await store.begin(run(id, 0), 1, 'reserve', 'job-1');
      let moved: Awaited<ReturnType<RedisSagaStore['complete']>> | undefined;
      const writes = await sagaWritesOf(async () => {
        moved = await store.complete(run(id, 0), 1, 'reserve', { reservationId: 'r1' }, 'job-1', 'notify');
      });

      expect(writes.map(([command, key]) => [command, key])).toEqual([
        ['hset', 'state'],
        ['rpush', 'history'],
      ]);
      expect(writes[0]).toEqual(expect.arrayContaining(['s0.status', 'succeeded', 'cursor', '1', 's1.status']));
      expect(writes[1].slice(2).map((line) => JSON.parse(line)[1])).toEqual(['step.succeeded', 'step.started']);
      // The next attempt reads the output written in the same HSET.
      expect(moved).toMatchObject({ outcome: 'applied', next: { outputs: [{ reservationId: 'r1' }] } });
      expect(await redis.hmget(store.keys.state(id), 'phase', 'cursor')).toEqual(['run', '1']);
      const record = await store.get(id);
      expect(record?.steps.slice(0, 2)).toMatchObject([
        { status: 'succeeded', output: { reservationId: 'r1' }, finishedAt: expect.any(String) },
        { status: 'running', attempts: 1, startedAt: expect.any(String) },
      ]);
    });

    it('writes the success before the compensation when a cancellation came during the step', async () => {
      await store.begin(run(id, 0), 1, 'reserve', 'job-1');
      expect(await store.cancel(id, 'no longer wanted')).toMatchObject({ outcome: 'applied' });
      const moved = await store.complete(run(id, 0), 1, 'reserve', { reservationId: 'r1' }, 'job-1', 'notify');

      // The job goes on with the compensation of its own step, which reads the output just recorded.
      expect(moved).toMatchObject({
        outcome: 'applied',
        cursor: { status: 'compensating', phase: 'compensate', index: 0 },
        next: { outputs: [{ reservationId: 'r1' }] },
      });
      const record = await store.get(id);
      expect(record?.steps[0]).toMatchObject({ status: 'compensating', output: { reservationId: 'r1' } });
      expect(record?.history.map((entry) => entry.type)).toEqual([
        'saga.started',
        'step.started',
        'saga.cancelled',
        'step.succeeded',
        'saga.compensating',
        'compensation.started',
      ]);
    });

    it('writes the success and the move in one HSET when the job does not go on with the next step', async () => {
      await store.begin(run(id, 0), 1, 'reserve', 'job-1');
      const writes = await sagaWritesOf(() => store.complete(run(id, 0), 1, 'reserve', { reservationId: 'r1' }));

      expect(writes.map(([command, key]) => [command, key])).toEqual([
        ['hset', 'state'],
        ['rpush', 'history'],
      ]);

      expect(await redis.hmget(store.keys.state(id), 's0.status', 's0.output', 'cursor')).toEqual([
        'succeeded',
        '{"reservationId":"r1"}',
        '1',
      ]);
      expect((await store.get(id))?.history.map((entry) => entry.type)).toEqual([
        'saga.started',
        'step.started',
        'step.succeeded',
      ]);
    });

    it("ends the saga with its last step's success in one HSET and one RPUSH", async () => {
      for (const [index, name] of ['reserve', 'notify', 'charge'].entries()) {
        await store.begin(run(id, index), 1, name, 'job-1');
        await store.complete(run(id, index), 1, name, {});
      }
      await store.begin(run(id, 3), 1, 'ship', 'job-1');
      const writes = await sagaWritesOf(() => store.complete(run(id, 3), 1, 'ship', { shipped: true }));

      expect(writes.map(([command, key]) => [command, key])).toEqual([
        ['hset', 'state'],
        ['rpush', 'history'],
      ]);
      expect(writes[0]).toEqual(
        expect.arrayContaining(['s3.status', 'succeeded', 'status', 'completed', 'phase', 'cursor', 'finishedAt']),
      );
      expect(writes[1].slice(2).map((line) => JSON.parse(line)[1])).toEqual(['step.succeeded', 'saga.completed']);
      const record = await store.get(id);
      expect(record).toMatchObject({ status: 'completed', finishedAt: expect.any(String) });
      expect(record?.history.slice(-2).map((entry) => entry.type)).toEqual(['step.succeeded', 'saga.completed']);
    });

    it("keeps a step's first start across its retries", async () => {
      await store.begin(run(id, 0), 1, 'reserve', 'job-1');
      const first = (await store.get(id))?.steps[0].startedAt;
      await new Promise((resolve) => setTimeout(resolve, 5));
      await store.fail(run(id, 0), 1, 'reserve', boom, false);
      await store.begin(run(id, 0), 2, 'reserve', 'job-2');

      expect(first).toEqual(expect.any(String));
      expect((await store.get(id))?.steps[0]).toMatchObject({ status: 'running', attempts: 2, startedAt: first });
    });
  });

  describe('when a job is a duplicate or late (the fence)', () => {
    it('applies a completion once; the second delivery is stale and changes nothing', async () => {
      await store.begin(run(id, 0), 1, 'reserve', 'test-job');
      const first = await store.complete(run(id, 0), 1, 'reserve', { n: 1 });
      const second = await store.complete(run(id, 0), 1, 'reserve', { n: 2 });

      expect(first).toEqual({ outcome: 'applied', cursor: { status: 'running', phase: 'run', index: 1, gen: 0 } });
      expect(second).toEqual({ outcome: 'stale', cursor: { status: 'running', phase: 'run', index: 1, gen: 0 } });
      const record = await store.get(id);
      expect(record?.steps[0].output).toEqual({ n: 1 });
      expect(record?.history.filter((entry) => entry.type === 'step.succeeded')).toHaveLength(1);
    });

    it('refuses to begin a step the saga is not on', async () => {
      await expect(store.begin(run(id, 2), 1, 'charge', 'test-job')).resolves.toMatchObject({ outcome: 'stale' });
      await expect(store.begin(run(id, 0, 1), 1, 'reserve', 'test-job')).resolves.toMatchObject({ outcome: 'stale' });
      expect((await store.get(id))?.steps[2].status).toBe('pending');
    });

    it('reports a saga that does not exist as missing', async () => {
      await expect(store.begin(run(newSagaId(), 0), 1, 'reserve', 'test-job')).resolves.toEqual({ outcome: 'missing' });
    });
  });

  describe('when a step fails', () => {
    it('keeps the cursor on the step while attempts remain', async () => {
      await store.begin(run(id, 0), 1, 'reserve', 'test-job');
      const moved = await store.fail(run(id, 0), 1, 'reserve', boom, false);
      expect(moved).toEqual({
        outcome: 'applied',
        cursor: { status: 'running', phase: 'run', index: 0, gen: 0 },
        final: false,
      });
      const record = await store.get(id);
      expect(record?.steps[0]).toMatchObject({ status: 'retrying', attempts: 1, error: boom });
    });

    it('compensates the steps that succeeded and have a compensation, newest first', async () => {
      for (const [index, name] of ['reserve', 'notify', 'charge'].entries()) {
        await store.begin(run(id, index), 1, name, 'test-job');
        await store.complete(run(id, index), 1, name, {});
      }
      await store.begin(run(id, 3), 3, 'ship', 'test-job');
      const failed = await store.fail(run(id, 3), 3, 'ship', boom, true);
      expect(failed).toMatchObject({ cursor: { status: 'compensating', phase: 'compensate', index: 2 } });

      await store.begin(compensate(id, 2), 1, 'charge', 'test-job');
      // "notify" has no compensation: the cursor skips it.
      const next = await store.complete(compensate(id, 2), 1, 'charge', undefined);
      expect(next).toMatchObject({ cursor: { status: 'compensating', phase: 'compensate', index: 0 } });

      await store.begin(compensate(id, 0), 1, 'reserve', 'test-job');
      const done = await store.complete(compensate(id, 0), 1, 'reserve', undefined);
      expect(done).toMatchObject({ cursor: { status: 'compensated', phase: '' } });

      const record = await store.get(id);
      expect(record?.steps.map((step) => step.status)).toEqual(['compensated', 'succeeded', 'compensated', 'failed']);
      expect(record?.error).toEqual({ step: 'ship', ...boom });
      expect(record?.history.map((entry) => entry.type)).toEqual([
        'saga.started',
        'step.started',
        'step.succeeded',
        'step.started',
        'step.succeeded',
        'step.started',
        'step.succeeded',
        'step.started',
        'step.failed',
        'saga.compensating',
        'compensation.started',
        'compensation.succeeded',
        'compensation.started',
        'compensation.succeeded',
        'saga.compensated',
      ]);
    });

    it('ends compensated at once when the first step fails', async () => {
      await store.begin(run(id, 0), 1, 'reserve', 'test-job');
      const failed = await store.fail(run(id, 0), 1, 'reserve', boom, true);
      expect(failed).toMatchObject({ cursor: { status: 'compensated', phase: '' } });
    });

    it('parks the saga as compensation_failed when a compensation fails for good, and fences off its jobs', async () => {
      await store.begin(run(id, 0), 1, 'reserve', 'test-job');
      await store.complete(run(id, 0), 1, 'reserve', {});
      await store.begin(run(id, 1), 1, 'notify', 'test-job');
      await store.fail(run(id, 1), 1, 'notify', boom, true);
      await store.begin(compensate(id, 0), 10, 'reserve', 'test-job');
      const parked = await store.fail(compensate(id, 0), 10, 'reserve', { name: 'Error', message: 'refused' }, true);

      expect(parked).toMatchObject({ cursor: { status: 'compensation_failed', phase: 'parked', index: 0 } });
      await expect(store.begin(compensate(id, 0), 10, 'reserve', 'test-job')).resolves.toMatchObject({
        outcome: 'stale',
      });
      const record = await store.get(id);
      expect(record?.status).toBe('compensation_failed');
      expect(record?.steps[0]).toMatchObject({
        status: 'compensation_failed',
        compensation: { attempts: 10, error: { message: 'refused' } },
      });
    });
  });

  describe('operator actions on a parked saga', () => {
    async function park(): Promise<void> {
      await store.begin(run(id, 0), 1, 'reserve', 'test-job');
      await store.complete(run(id, 0), 1, 'reserve', {});
      await store.begin(run(id, 1), 1, 'notify', 'test-job');
      await store.fail(run(id, 1), 1, 'notify', boom, true);
      await store.begin(compensate(id, 0), 1, 'reserve', 'test-job');
      await store.fail(compensate(id, 0), 1, 'reserve', boom, true);
    }

    it('retry resumes compensation on the failed step under a new generation, fencing off the old jobs', async () => {
      await park();
      const retried = await store.retryCompensation(id, 'refund service fixed');

      expect(retried).toEqual({
        outcome: 'applied',
        cursor: { status: 'compensating', phase: 'compensate', index: 0, gen: 1 },
      });
      await expect(store.begin(compensate(id, 0, 0), 2, 'reserve', 'test-job')).resolves.toMatchObject({
        outcome: 'stale',
      });
      await store.begin(compensate(id, 0, 1), 1, 'reserve', 'test-job');
      const done = await store.complete(compensate(id, 0, 1), 1, 'reserve', undefined);
      expect(done).toMatchObject({ cursor: { status: 'compensated' } });
      const record = await store.get(id);
      expect(record?.finishedAt).toBeDefined();
      expect(record?.history.find((entry) => entry.type === 'saga.retried')).toMatchObject({
        step: 'reserve',
        note: 'refund service fixed',
      });
    });

    it('resolve ends the saga compensated with the note, keeping the step that could not be undone', async () => {
      await park();
      const resolved = await store.resolve(id, 'refunded by hand, ticket 4711');

      expect(resolved).toMatchObject({ outcome: 'applied', cursor: { status: 'compensated', phase: '' } });
      const record = await store.get(id);
      expect(record?.status).toBe('compensated');
      expect(record?.steps[0].status).toBe('compensation_failed');
      expect(record?.history.at(-1)).toMatchObject({ type: 'saga.resolved', note: 'refunded by hand, ticket 4711' });
    });

    it('refuses both on a saga that is not parked, and reports a missing one', async () => {
      await expect(store.retryCompensation(id, '')).resolves.toEqual({ outcome: 'conflict', status: 'running' });
      await expect(store.resolve(id, 'x')).resolves.toEqual({ outcome: 'conflict', status: 'running' });
      await expect(store.resolve(newSagaId(), 'x')).resolves.toEqual({ outcome: 'missing' });
      expect((await store.get(id))?.history.map((entry) => entry.type)).toEqual(['saga.started']);
    });
  });

  describe('the active index', () => {
    it('holds a started saga with its cursor; the transition that ends it drops it, and retry adds it back', async () => {
      const { active } = await store.activeSagas(0, 0, 10_000);
      expect(active.find((saga) => saga.sagaId === id)).toMatchObject({
        name: 'order',
        version: 1,
        cursor: { status: 'running', phase: 'run', index: 0, gen: 0 },
      });
      const listed = async () => {
        const page = await store.activeSagas(0, 0, 10_000);
        return [...page.stale, ...page.active.map((saga) => saga.sagaId)].includes(id);
      };

      await store.begin(run(id, 0), 1, 'reserve', 'test-job');
      await store.complete(run(id, 0), 1, 'reserve', {});
      await store.begin(run(id, 1), 1, 'notify', 'test-job');
      await store.fail(run(id, 1), 1, 'notify', boom, true);
      await store.begin(compensate(id, 0), 1, 'reserve', 'test-job');
      await store.fail(compensate(id, 0), 1, 'reserve', boom, true);
      expect((await store.get(id))?.status).toBe('compensation_failed');
      expect(await listed()).toBe(false);
      await store.retryCompensation(id, '');
      expect(await listed()).toBe(true);
      await store.begin(compensate(id, 0, 1), 1, 'reserve', 'test-job');
      await store.complete(compensate(id, 0, 1), 1, 'reserve', undefined);
      expect((await store.get(id))?.status).toBe('compensated');
      expect(await listed()).toBe(false);
    });

    it('reports an entry whose saga is gone as stale, for the sweeper to drop', async () => {
      const ghost = newSagaId();
      await redis.zadd(store.keys.active(0), 0, ghost);
      expect((await store.activeSagas(0, 0, 10_000)).stale).toContain(ghost);
      await store.deactivate(ghost);
      expect((await store.activeSagas(0, 0, 10_000)).stale).not.toContain(ghost);
    });
  });

  describe('list', () => {
    it('lists newest first, filters by status, and pages with a cursor', async () => {
      const listPrefix = `${prefix}-list`;
      const listStore = new RedisSagaStore(redis, listPrefix);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const sagaId = newSagaId(Date.now() + i);
        ids.push(sagaId);
        await listStore.start(saga, sagaId, { orderId: `o-${i}` });
      }
      await listStore.begin(run(ids[1], 0), 1, 'reserve', 'test-job');
      await listStore.fail(run(ids[1], 0), 1, 'reserve', boom, true);

      const first = await listStore.list({ limit: 2 });
      expect(first.items.map((item) => item.id)).toEqual([ids[4], ids[3]]);
      const second = await listStore.list({ limit: 2, cursor: first.nextCursor });
      expect(second.items.map((item) => item.id)).toEqual([ids[2], ids[1]]);
      const compensated = await listStore.list({ limit: 10, status: 'compensated' });
      expect(compensated.items.map((item) => item.id)).toEqual([ids[1]]);
      expect((await listStore.list({ limit: 10, name: 'other' })).items).toEqual([]);
      await deleteKeys(redis, listPrefix);
    });
  });

  describe('waits, events and cancellation', () => {
    let parcel: string;
    const delivered = (eventId: string, key = 'p-1') => ({
      id: eventId,
      type: 'parcel.delivered',
      key,
      payload: { eventId },
    });

    beforeEach(async () => {
      parcel = newSagaId();
      await store.start(waiting, parcel, { orderId: 'p-1' });
      await store.begin(run(parcel, 0), 1, 'ship', 'job');
      await store.complete(run(parcel, 0), 1, 'ship', { shipped: true });
      await store.begin(run(parcel, 1), 1, 'delivered', 'job');
    });

    const park = () =>
      store.park(run(parcel, 1), 'delivered', { event: 'parcel.delivered', key: 'p-1', timeoutMs: 60_000 }, 'timer');

    it('parks once: a redelivered job parks again with the same deadline', async () => {
      const first = await park();
      await store.begin(run(parcel, 1), 2, 'delivered', 'job');
      const again = await park();
      expect(first).toMatchObject({ outcome: 'applied', cursor: { status: 'waiting' } });
      expect(again.outcome === 'applied' && again.until).toBe(first.outcome === 'applied' && first.until);
      const record = await store.get(parcel);
      expect(record?.waitingFor).toMatchObject({ step: 'delivered', event: 'parcel.delivered', key: 'p-1' });
      expect(record?.history.filter((entry) => entry.type === 'step.waiting')).toHaveLength(1);
    });

    it('takes only an event of its type and key, one event once, and then the timer finds nothing to do', async () => {
      await park();
      expect((await store.deliver(parcel, delivered('e-0', 'p-2'))).outcome).toBe('stale');
      const taken = await store.deliver(parcel, delivered('e-1'));
      expect(taken).toMatchObject({ outcome: 'applied', cursor: { status: 'running', phase: 'run', index: 2 } });
      expect((await store.deliver(parcel, delivered('e-2'))).outcome).toBe('stale');
      expect((await store.expire(run(parcel, 1), 'delivered', 'fail', timedOut)).outcome).toBe('stale');
      const record = await store.get(parcel);
      expect(record?.steps[1]).toMatchObject({ status: 'succeeded', output: { eventId: 'e-1' } });
    });

    it('times out once: a late event and a second firing change nothing', async () => {
      await park();
      const fired = await store.expire(run(parcel, 1), 'delivered', 'fail', timedOut);
      expect(fired).toMatchObject({
        outcome: 'applied',
        cursor: { status: 'compensating', phase: 'compensate', index: 0 },
      });
      expect((await store.expire(run(parcel, 1), 'delivered', 'fail', timedOut)).outcome).toBe('stale');
      expect((await store.deliver(parcel, delivered('late'))).outcome).toBe('stale');
      expect((await store.get(parcel))?.history.filter((entry) => entry.type === 'step.timed_out')).toHaveLength(1);
    });

    it('cancels a waiting saga at once, and a second cancel changes nothing', async () => {
      await park();
      const cancelled = await store.cancel(parcel, 'no longer wanted');
      expect(cancelled).toEqual({
        outcome: 'applied',
        cursor: { status: 'compensating', phase: 'compensate', index: 0, gen: 0 },
        stoppedWait: { index: 1, event: 'parcel.delivered', key: 'p-1' },
      });
      expect(await store.cancel(parcel, 'again')).toEqual({ outcome: 'conflict', status: 'compensating' });
      expect((await store.deliver(parcel, delivered('e-3'))).outcome).toBe('stale');
      expect((await store.get(parcel))?.history.filter((entry) => entry.type === 'saga.cancelled')).toHaveLength(1);
    });

    it('does not park a saga cancelled while its wait began: it compensates instead', async () => {
      const deferred = await store.cancel(parcel, '');
      expect(deferred).toMatchObject({ outcome: 'applied', cursor: { status: 'running', phase: 'run', index: 1 } });
      expect(await park()).toMatchObject({ outcome: 'applied', cursor: { status: 'compensating', index: 0 } });
    });

    it('refuses to cancel a saga past a step without compensation, naming it', async () => {
      await store.begin(run(id, 0), 1, 'reserve', 'job');
      await store.complete(run(id, 0), 1, 'reserve', {});
      await store.begin(run(id, 1), 1, 'notify', 'job');
      expect(await store.cancel(id, '')).toEqual({ outcome: 'past-pivot', status: 'running', step: 'notify' });
    });
  });

  describe('metrics and finding sagas', () => {
    it('counts starts, statuses, retries, compensations and step durations once per transition', async () => {
      const metricsPrefix = `${prefix}-metrics`;
      const metricsStore = new RedisSagaStore(redis, metricsPrefix);
      const [done, undone] = [newSagaId(), newSagaId()];
      await metricsStore.start(saga, done, { orderId: 'm-1' });
      await metricsStore.start(saga, undone, { orderId: 'm-2' });
      expect(await metricsStore.counts('order')).toMatchObject({ running: 2, completed: 0 });
      for (const [index, name] of ['reserve', 'notify', 'charge', 'ship'].entries()) {
        await metricsStore.begin(run(done, index), 1, name, 'job');
        await metricsStore.complete(run(done, index), 1, name, {});
        // A duplicate completion is fenced off, and counts nothing.
        await metricsStore.complete(run(done, index), 1, name, {});
      }
      await metricsStore.begin(run(undone, 0), 1, 'reserve', 'job');
      await metricsStore.complete(run(undone, 0), 1, 'reserve', {});
      await metricsStore.begin(run(undone, 1), 1, 'notify', 'job');
      await metricsStore.fail(run(undone, 1), 1, 'notify', boom, false);
      await metricsStore.fail(run(undone, 1), 2, 'notify', boom, true);
      await metricsStore.begin(compensate(undone, 0), 1, 'reserve', 'job');
      await metricsStore.complete(compensate(undone, 0), 1, 'reserve', undefined);

      expect(await metricsStore.counts()).toMatchObject({ running: 0, completed: 1, compensated: 1 });
      const metrics = await metricsStore.metrics();
      expect(metrics.started).toEqual([{ saga: 'order', count: 2 }]);
      expect(metrics.finished).toEqual(
        expect.arrayContaining([
          { saga: 'order', status: 'completed', count: 1 },
          { saga: 'order', status: 'compensated', count: 1 },
        ]),
      );
      expect(metrics.stepRetries).toEqual([{ saga: 'order', step: 'notify', count: 1 }]);
      expect(metrics.compensations).toEqual([{ saga: 'order', step: 'reserve', outcome: 'succeeded', count: 1 }]);
      const reserve = metrics.stepDurations.find((series) => series.step === 'reserve');
      expect(reserve).toMatchObject({ saga: 'order', count: 2 });
      expect(reserve?.cumulativeCounts.at(-1)).toBe(2);
      expect(reserve?.cumulativeCounts).toEqual([...(reserve?.cumulativeCounts ?? [])].sort((a, b) => a - b));
      await deleteKeys(redis, metricsPrefix);
    });

    it('finds sagas by the correlation key of their start or of their wait, and by creation time', async () => {
      const findPrefix = `${prefix}-find`;
      const findStore = new RedisSagaStore(redis, findPrefix);
      const now = Date.now();
      const [old, byEvent, byWait] = [newSagaId(now - 60_000), newSagaId(now), newSagaId(now + 1)];
      await findStore.start(saga, old, { orderId: 'f-0' });
      await findStore.start(saga, byEvent, { orderId: 'f-1' }, undefined, { correlationKey: 'order-77' });
      await findStore.start(waiting, byWait, { orderId: 'order-77' });
      await findStore.begin(run(byWait, 0), 1, 'ship', 'job');
      await findStore.complete(run(byWait, 0), 1, 'ship', {});
      await findStore.begin(run(byWait, 1), 1, 'delivered', 'job');
      await findStore.park(
        run(byWait, 1),
        'delivered',
        { event: 'parcel.delivered', key: 'order-77', timeoutMs: 60_000 },
        't',
      );

      const ids = async (query: Omit<Parameters<RedisSagaStore['list']>[0], 'limit'>) =>
        (await findStore.list({ limit: 10, ...query })).items.map((item) => item.id);
      expect(await ids({ key: 'order-77' })).toEqual([byWait, byEvent]);
      expect(await ids({ key: 'order-77', name: 'parcel' })).toEqual([byWait]);
      expect(await ids({ key: 'order-77', status: 'waiting' })).toEqual([byWait]);
      expect(await ids({ from: new Date(Date.now() - 30_000) })).toEqual([byWait, byEvent]);
      expect(await ids({ to: new Date(Date.now() - 30_000) })).toEqual([old]);
      await deleteKeys(redis, findPrefix);
    });
  });
});

describe('RedisSagaStore over shards whose prefixes are hash tags, as on a Redis Cluster', () => {
  const redis = connect();
  const name = uniquePrefix();
  const prefixes = [0, 1, 2].map((shard) => `{${name}-${shard}}`);
  const store = new RedisSagaStore(redis, prefixes, { lifecycleEvents: true });

  afterAll(async () => {
    for (const prefix of prefixes) await deleteKeys(redis, prefix);
    await redis.quit();
  });

  it("reads each saga's id from its key past the prefix's hash tag: indexes and lifecycle events name the saga", async () => {
    const ids = Array.from({ length: 6 }, () => newSagaId());
    for (const sagaId of ids) {
      await store.start(waiting, sagaId, { orderId: sagaId });
      await store.begin(run(sagaId, 0), 1, 'ship', 'job');
      await store.complete(run(sagaId, 0), 1, 'ship', {});
      await store.begin(run(sagaId, 1), 1, 'delivered', 'job');
      await store.park(run(sagaId, 1), 'delivered', { event: 'parcel.delivered', key: sagaId, timeoutMs: 60_000 }, 't');
      await store.expire(run(sagaId, 1), 'delivered', 'fail', timedOut);
      await store.begin(compensate(sagaId, 0), 1, 'ship', 'job');
      await store.complete(compensate(sagaId, 0), 1, 'ship', undefined);
    }

    for (const sagaId of ids) {
      const shard = store.keys.shardOf(sagaId);
      expect(store.keys.state(sagaId)).toBe(`${prefixes[shard]}:saga:{${sagaId}}`);
      expect((await store.get(sagaId))?.status).toBe('compensated');
      // The wait indexed the saga under its key; its end took it out of its shard's active index.
      expect(await redis.zrange(store.keys.keyIndex(shard, sagaId), '0', '-1')).toEqual([sagaId]);
      expect(await redis.zscore(store.keys.active(shard), sagaId)).toBeNull();
      const events = await redis.xrange(store.keys.lifecycle(shard), '-', '+');
      const ofSaga = events
        .filter(([, fields]) => fields[1].includes(sagaId))
        .map(([, fields]) => JSON.parse(fields[1]));
      expect(ofSaga.map((event) => [event.type, event.sagaId])).toEqual([
        ['saga.started', sagaId],
        ['saga.step.succeeded', sagaId],
        ['saga.step.failed', sagaId],
        ['saga.compensating', sagaId],
        ['saga.compensated', sagaId],
      ]);
    }
    expect(new Set(ids.map((sagaId) => store.keys.shardOf(sagaId))).size).toBeGreaterThan(1);
    expect(await Promise.all(prefixes.map((_, shard) => redis.zcard(store.keys.active(shard))))).toEqual([0, 0, 0]);
  });

  it('lists the sagas of every shard as one, newest first, page after page, and adds up their counters', async () => {
    const now = Date.now();
    const ids = Array.from({ length: 20 }, (_, i) => newSagaId(now + i));
    for (const sagaId of ids) await store.start(saga, sagaId, { orderId: sagaId });
    for (const sagaId of ids.slice(0, 5)) {
      await store.begin(run(sagaId, 0), 1, 'reserve', 'job');
      await store.fail(run(sagaId, 0), 1, 'reserve', boom, true);
    }

    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await store.list({ name: 'order', limit: 3, cursor });
      pages.push(page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages.flat()).toEqual([...ids].reverse());
    expect(pages.slice(0, -1).every((page) => page.length === 3)).toBe(true);
    const compensated = await store.list({ name: 'order', status: 'compensated', limit: 10 });
    expect(compensated.items.map((item) => item.id)).toEqual(ids.slice(0, 5).reverse());

    expect((await store.metrics()).started).toContainEqual({ saga: 'order', count: 20 });
    expect(await store.counts('order')).toMatchObject({ running: 15, compensated: 5 });
  });
});
