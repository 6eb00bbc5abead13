import { IsString } from 'class-validator';
import type { Redis } from 'ioredis';
import { commandsDuring, connect, deleteKeys, uniquePrefix } from '../../../../test/support/redis';
import { defineSaga } from '../definition/define-saga';
import { newSagaId } from './saga-id';
import { RedisSagaStore } from './redis-saga-store';
import { MAX_BATCH } from './transition-batches';
import type { StepJobRef } from './transition';

class Input {
  @IsString()
  orderId!: string;
}
const noop = { run: async () => ({}), compensate: async () => undefined };
const saga = defineSaga('batched', { input: Input }).step('reserve', noop).step('charge', noop).build();
const run = (sagaId: string, index: number): StepJobRef => ({ sagaId, phase: 'run', index, gen: 0 });

/** The script calls one connection sends while `work` runs. */
async function scriptCallsOf(redis: Redis, work: () => Promise<unknown>): Promise<string[][]> {
  const port = redis.stream.localPort;
  return (await commandsDuring(redis, work))
    .filter(({ args, source }) => source.endsWith(`:${port}`) && /^eval/i.test(args[0]))
    .map(({ args }) => args);
}

describe('TransitionBatches (few script calls for the transitions of one tick, against a real Redis)', () => {
  const redis = connect();
  const prefix = uniquePrefix();
  const store = new RedisSagaStore(redis, prefix);

  afterAll(async () => {
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  async function startSagas(count: number): Promise<string[]> {
    const ids = Array.from({ length: count }, () => newSagaId());
    for (const id of ids) await store.start(saga, id, { orderId: id });
    return ids;
  }

  it('sends the transitions of many sagas asked for in one tick in full batches, each with its own reply', async () => {
    const ids = await startSagas(20);
    let begun: Awaited<ReturnType<RedisSagaStore['begin']>>[] = [];
    const calls = await scriptCallsOf(redis, async () => {
      begun = await Promise.all(ids.map((id) => store.begin(run(id, 0), 1, 'reserve', `job-${id}`)));
    });

    // Full batches, each one call of the batch script: the shard's four keys and each saga's two.
    expect(calls).toHaveLength(ids.length / MAX_BATCH);
    expect(calls.map((call) => call[2])).toEqual(calls.map(() => String(4 + 2 * MAX_BATCH)));
    expect(begun.every((result) => result.outcome === 'ready')).toBe(true);
    expect(begun.map((result) => result.outcome === 'ready' && result.input)).toEqual(
      ids.map((orderId) => ({ orderId })),
    );

    const completed = await Promise.all(
      ids.map((id) => store.complete(run(id, 0), 1, 'reserve', { id }, `job-${id}`, 'charge')),
    );
    for (const [i, moved] of completed.entries()) {
      expect(moved).toMatchObject({ outcome: 'applied', cursor: { status: 'running', phase: 'run', index: 1 } });
      expect(moved.outcome === 'applied' && moved.next?.outputs).toEqual([{ id: ids[i] }]);
    }
    const records = await Promise.all(ids.map((id) => store.get(id)));
    for (const record of records) {
      expect(record?.steps.map((step) => step.status)).toEqual(['succeeded', 'running']);
      expect(record?.history.map((entry) => entry.type)).toEqual([
        'saga.started',
        'step.started',
        'step.succeeded',
        'step.started',
      ]);
    }
  });

  it('sends batches of half the transitions outstanding in the tick before, so that few jobs make two calls', async () => {
    // A store of its own: the batch size follows what its own transitions did before.
    const fresh = new RedisSagaStore(redis, prefix);
    const ids = await startSagas(6);
    const begins = await scriptCallsOf(redis, () =>
      Promise.all(ids.map((id) => fresh.begin(run(id, 0), 1, 'reserve', `job-${id}`))),
    );
    const completes = await scriptCallsOf(redis, () =>
      Promise.all(ids.map((id) => fresh.complete(run(id, 0), 1, 'reserve', {}, `job-${id}`, 'charge'))),
    );

    // The batch script's keys: the shard's four and each saga's two.
    expect(begins.map((call) => call[2])).toEqual([String(4 + 2 * 6)]);
    expect(completes.map((call) => call[2])).toEqual([String(4 + 2 * 3), String(4 + 2 * 3)]);
  });

  it('sends a transition alone in its tick as its own script', async () => {
    const [id] = await startSagas(1);
    const calls = await scriptCallsOf(redis, () => store.begin(run(id, 0), 1, 'reserve', 'job-1'));
    expect(calls).toHaveLength(1);
    expect(calls[0].slice(2, 4)).toEqual(['6', store.keys.state(id)]);
  });

  it('fences each transition of a batch on its own: a duplicate in the same call is stale', async () => {
    const [id] = await startSagas(1);
    await store.begin(run(id, 0), 1, 'reserve', 'job-1');
    const [first, duplicate] = await Promise.all([
      store.complete(run(id, 0), 1, 'reserve', { n: 1 }),
      store.complete(run(id, 0), 1, 'reserve', { n: 2 }),
    ]);
    expect(first).toMatchObject({ outcome: 'applied', cursor: { phase: 'run', index: 1 } });
    expect(duplicate).toMatchObject({ outcome: 'stale', cursor: { phase: 'run', index: 1 } });
    expect((await store.get(id))?.steps[0].output).toEqual({ n: 1 });
  });

  it('answers a transition that fails in Redis with its error, and still applies the others of its call', async () => {
    const [good, broken, other] = await startSagas(3);
    // A state that is not a hash: the transition's first read fails with WRONGTYPE.
    await redis.del(store.keys.state(broken));
    await redis.set(store.keys.state(broken), 'not a hash');
    const results = await Promise.allSettled(
      [good, broken, other].map((id) => store.begin(run(id, 0), 1, 'reserve', 'job')),
    );

    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/WRONGTYPE/);
    for (const id of [good, other]) expect((await store.get(id))?.steps[0].status).toBe('running');
  });
});
