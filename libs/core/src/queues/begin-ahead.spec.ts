import { Queue } from 'bullmq';
import { IsString } from 'class-validator';
import { connect, deleteKeys, uniquePrefix } from '../../../../test/support/redis';
import { defineSaga } from '../definition/define-saga';
import { newSagaId } from '../store/saga-id';
import { RedisSagaStore } from '../store/redis-saga-store';
import type { StepJobRef } from '../store/transition';
import { queueName, stepJobId } from './step-job';

class Input {
  @IsString()
  orderId!: string;
}
const step = { run: async () => ({}) };
const saga = defineSaga('order', { input: Input }).step('reserve', step).step('ship', step).build();
const run = (sagaId: string, index: number): StepJobRef => ({ sagaId, phase: 'run', index, gen: 0 });

/**
 * The last step's transition of a job that BullMQ is about to hand its next job (`RedisSagaStore.complete` with
 * `nextJob`): the first attempt of the job at the head of the queue's wait list begins with it, when that is a
 * saga's first step, exactly as that job's own begin would; anything else is left to the job's own begin.
 */
describe('beginning the next job ahead, with the last step of the one before', () => {
  const redis = connect();
  const prefix = uniquePrefix();
  const store = new RedisSagaStore(redis, prefix);
  const queue = new Queue(queueName(saga.name), { connection: redis, prefix });
  const ahead = { queue: queue.qualifiedName, firstStep: 'reserve' };
  let ending: string;
  let next: string;

  beforeEach(async () => {
    await queue.drain();
    [ending, next] = [newSagaId(), newSagaId()];
    await store.start(saga, ending, { orderId: 'o-1' });
    await store.start(saga, next, { orderId: 'o-2' });
    await store.begin(run(ending, 0), 1, 'reserve', 'job-1');
    await store.complete(run(ending, 0), 1, 'reserve', { reserved: 1 }, 'job-1', 'ship');
  });

  afterAll(async () => {
    await queue.close();
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  /** Queues a job as the dispatcher does, with its deterministic id. */
  async function queueJob(ref: StepJobRef, stepName: string): Promise<string> {
    const jobId = stepJobId(ref, stepName);
    await queue.add(stepName, { ...ref, saga: saga.name, version: saga.version }, { jobId });
    return jobId;
  }

  const endSaga = () => store.complete(run(ending, 1), 1, 'ship', { shipped: 1 }, '', '', ahead);

  it("begins the first attempt of the saga whose first step heads the wait list, with that saga's data", async () => {
    const jobId = await queueJob(run(next, 0), 'reserve');

    const moved = await endSaga();

    expect(moved).toMatchObject({ outcome: 'applied', cursor: { status: 'completed' } });
    expect(moved.outcome === 'applied' && moved.nextJob).toEqual({
      jobId,
      data: { input: { orderId: 'o-2' }, outputs: [] },
    });
    const begun = await store.get(next);
    expect(begun?.steps[0]).toMatchObject({ status: 'running', attempts: 1, startedAt: expect.any(String) });
    expect(begun?.history.map((entry) => [entry.type, entry.step ?? ''])).toEqual([
      ['saga.started', ''],
      ['step.started', 'reserve'],
    ]);
    // The begun job goes on as if it had begun itself.
    expect(await store.complete(run(next, 0), 1, 'reserve', {}, jobId, 'ship')).toMatchObject({
      outcome: 'applied',
      next: { input: { orderId: 'o-2' }, outputs: [{}] },
    });
  });

  it('leaves the job to its own begin if another process takes it: that begin is accepted', async () => {
    const jobId = await queueJob(run(next, 0), 'reserve');
    await endSaga();

    await expect(store.begin(run(next, 0), 1, 'reserve', jobId)).resolves.toMatchObject({ outcome: 'ready' });
  });

  it('begins nothing when the job at the head is not a first step', async () => {
    await store.begin(run(next, 0), 1, 'reserve', 'job-2');
    await store.complete(run(next, 0), 1, 'reserve', {});
    await queueJob(run(next, 1), 'ship');

    const moved = await endSaga();

    expect(moved).toMatchObject({ outcome: 'applied' });
    expect(moved).not.toHaveProperty('nextJob');
    expect((await store.get(next))?.steps[1].status).toBe('pending');
  });

  it('begins nothing for a first step begun already: its history shows one begin', async () => {
    await store.begin(run(next, 0), 1, 'reserve', 'job-2');
    await queueJob(run(next, 0), 'reserve');

    const moved = await endSaga();

    expect(moved).toMatchObject({ outcome: 'applied' });
    expect(moved).not.toHaveProperty('nextJob');
    expect((await store.get(next))?.history.filter((entry) => entry.type === 'step.started')).toHaveLength(1);
  });

  it('begins nothing for a saga cancelled before its first step began', async () => {
    await store.cancel(next, 'no longer wanted');
    await queueJob(run(next, 0), 'reserve');

    const moved = await endSaga();

    expect(moved).toMatchObject({ outcome: 'applied' });
    expect(moved).not.toHaveProperty('nextJob');
    const cancelled = await store.get(next);
    expect(cancelled?.steps[0].status).toBe('pending');
    expect(cancelled?.history.map((entry) => entry.type)).not.toContain('step.started');
  });

  it('begins nothing while the queue is paused: its head waits', async () => {
    await queueJob(run(next, 0), 'reserve');
    await queue.pause();
    try {
      const moved = await endSaga();
      expect(moved).toMatchObject({ outcome: 'applied' });
      expect(moved).not.toHaveProperty('nextJob');
      expect((await store.get(next))?.steps[0].status).toBe('pending');
    } finally {
      await queue.resume();
    }
  });

  it('begins nothing when the wait list is empty', async () => {
    const moved = await endSaga();
    expect(moved).toMatchObject({ outcome: 'applied' });
    expect(moved).not.toHaveProperty('nextJob');
    expect((await store.get(next))?.steps[0].status).toBe('pending');
  });
});
