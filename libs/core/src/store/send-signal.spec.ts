import { IsBoolean, IsString } from 'class-validator';
import { connect, deleteKeys, uniquePrefix } from '../../../../test/support/redis';
import { defineSaga } from '../definition/define-saga';
import { newSagaId } from './saga-id';
import { RedisSagaStore } from './redis-saga-store';
import type { StepJobRef } from './transition';

class Input {
  @IsString()
  orderId!: string;
}
class Approval {
  @IsBoolean()
  approved!: boolean;
}
const noop = { run: async () => ({}) };
// submit → wait for `approval` → pay; `note` is read by steps only.
const approvalSaga = defineSaga('approval', { input: Input, signals: { approval: Approval, note: Approval } })
  .step('submit', noop)
  .waitForSignal('awaitApproval', { signal: 'approval', timeout: '1h' })
  .step('pay', noop)
  .build();

const run = (sagaId: string, index: number): StepJobRef => ({ sagaId, phase: 'run', index, gen: 0 });

describe('send-signal-8.lua and the waits for a signal (against a real Redis)', () => {
  const redis = connect();
  const prefix = uniquePrefix();
  // Ended sagas are due for removal at once.
  const store = new RedisSagaStore(redis, prefix, { retentionMs: 1 });
  let id: string;

  beforeEach(async () => {
    id = newSagaId();
    await store.start(approvalSaga, id, { orderId: 'o-1' });
  });

  afterAll(async () => {
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  /** Runs `submit` and begins the wait, parking it. */
  async function reachWait() {
    await store.begin(run(id, 0), 1, 'submit', 'job');
    await store.complete(run(id, 0), 1, 'submit', {});
    await store.begin(run(id, 1), 1, 'awaitApproval', 'job');
    return store.park(run(id, 1), 'awaitApproval', { signal: 'approval', timeoutMs: 60_000 }, 'timer');
  }

  it('numbers the signals of a saga from 1, all names together, and records each in the history', async () => {
    const first = await store.signal(id, 'note', '{"approved":false}');
    const second = await store.signal(id, 'approval', '{"approved":true}');
    expect([first, second]).toMatchObject([
      { outcome: 'applied', seq: 1, cursor: { status: 'running' } },
      { outcome: 'applied', seq: 2 },
    ]);
    expect(first).not.toHaveProperty('endedWait');
    const record = await store.get(id);
    expect(record?.signals).toEqual([
      { seq: 1, name: 'note', at: expect.any(String), payload: { approved: false } },
      { seq: 2, name: 'approval', at: expect.any(String), payload: { approved: true } },
    ]);
    expect(record?.history.filter((entry) => entry.type === 'signal.received')).toEqual([
      { at: expect.any(String), type: 'signal.received', signal: 'note', seq: 1 },
      { at: expect.any(String), type: 'signal.received', signal: 'approval', seq: 2 },
    ]);
  });

  it('ends a wait for the signal at once, with its payload as the output, and moves the saga on', async () => {
    expect(await reachWait()).toMatchObject({ cursor: { status: 'waiting' }, until: expect.any(Number) });
    expect((await store.get(id))?.waitingFor).toMatchObject({ step: 'awaitApproval', signal: 'approval' });

    expect(await store.signal(id, 'note', '{"approved":false}')).toMatchObject({ cursor: { status: 'waiting' } });
    const sent = await store.signal(id, 'approval', '{"approved":true}');
    expect(sent).toMatchObject({ outcome: 'applied', seq: 2, endedWait: 1, cursor: { status: 'running', index: 2 } });
    const step = (await store.get(id))?.steps[1];
    expect(step).toMatchObject({
      status: 'succeeded',
      output: { approved: true },
      wait: { signal: 'approval', seq: 2 },
    });
  });

  it('ends the wait as it begins with a signal received before, without parking the saga', async () => {
    await store.signal(id, 'approval', '{"approved":true}');
    const parked = await reachWait();
    expect(parked).toMatchObject({ outcome: 'applied', cursor: { status: 'running', phase: 'run', index: 2 } });
    expect(parked).not.toHaveProperty('until');
    const record = await store.get(id);
    expect(record?.steps[1]).toMatchObject({ status: 'succeeded', output: { approved: true }, wait: { seq: 1 } });
    expect(record?.history.map((entry) => entry.type).slice(-3)).toEqual([
      'step.started',
      'step.waiting',
      'step.succeeded',
    ]);
  });

  it('leaves a wait parked by a signal of another name', async () => {
    await store.signal(id, 'note', '{"approved":true}');
    expect(await reachWait()).toMatchObject({ cursor: { status: 'waiting' }, until: expect.any(Number) });
  });

  it('answers a repeat with the same idempotency key with the first seq, and refuses the key for another payload', async () => {
    const key = { key: 'k-1', hash: 'h-1', ttlMs: 60_000 };
    expect(await store.signal(id, 'note', '{"approved":true}', key)).toMatchObject({ outcome: 'applied', seq: 1 });
    expect(await store.signal(id, 'note', '{"approved":true}', key)).toEqual({ outcome: 'replay', seq: 1 });
    expect(await store.signal(id, 'note', '{"approved":false}', { ...key, hash: 'h-2' })).toEqual({
      outcome: 'key-conflict',
      seq: 1,
    });
    expect((await store.get(id))?.signals).toHaveLength(1);
    const ttl = await redis.pttl(store.keys.signalIdempotency(id, 'k-1'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('refuses a signal to a saga that has ended or is compensating, and reports a missing saga', async () => {
    await store.begin(run(id, 0), 1, 'submit', 'job');
    await store.fail(run(id, 0), 1, 'submit', { name: 'Error', message: 'no' }, true);
    expect((await store.get(id))?.status).toBe('compensated');
    expect(await store.signal(id, 'note', '{"approved":true}')).toEqual({ outcome: 'conflict', status: 'compensated' });
    expect((await store.get(id))?.signals).toBeUndefined();
    expect(await store.signal(newSagaId(), 'note', '{}')).toEqual({ outcome: 'missing' });
  });

  it('removes the signals with the saga once its retention is over', async () => {
    await reachWait();
    await store.signal(id, 'approval', '{"approved":true}');
    await store.begin(run(id, 2), 1, 'pay', 'job');
    await store.complete(run(id, 2), 1, 'pay', {});
    expect(await redis.exists(store.keys.signals(id))).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await store.remove(id)).toEqual({ outcome: 'removed', name: 'approval' });
    expect(await redis.exists(store.keys.state(id), store.keys.signals(id))).toBe(0);
  });
});
