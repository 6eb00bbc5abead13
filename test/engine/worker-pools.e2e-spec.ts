import { defineSaga, type StepContext } from '@sagaflow/core';
import { waitFor } from '../support/wait-for';
import { Engine, Input, recordingStep } from './engine.fixture';

const fast = { retry: { attempts: 2, backoff: 10 } };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** reserve (default pool) → charge (pool payments) → ship (default pool). */
function paymentSaga(calls: string[], charge: (ctx: StepContext) => Promise<unknown> = async () => ({ ok: true })) {
  return defineSaga('order', { input: Input })
    .step('reserve', recordingStep(calls, 'reserve'), fast)
    .step('charge', recordingStep(calls, 'charge', { run: charge }), { ...fast, pool: 'payments' })
    .step('ship', recordingStep(calls, 'ship'), fast)
    .build();
}

describe('worker pools', () => {
  let engine: Engine;
  afterEach(() => engine.close());

  it('runs a step of a pool only in workers that serve it; meanwhile the saga waits and says why', async () => {
    const calls: string[] = [];
    engine = new Engine(paymentSaga(calls));
    const { id } = await engine.client.start('order', { orderId: 'o-1' });
    const waiting = await waitFor(
      () => engine.client.get(id),
      (saga) => saga.attention !== undefined,
    );

    expect(waiting.status).toBe('running');
    expect(waiting.attention?.reason).toContain('pool "payments", which no worker process serves');
    expect(calls.map((call) => call.split(' ')[1])).toEqual(['reserve']);
    expect(await engine.queues.pool('payments').getJobCounts('waiting')).toEqual({ waiting: 1 });

    engine.servePools([{ name: 'payments' }]);
    const saga = await engine.waitUntilFinished(id);
    expect(saga.status).toBe('completed');
    expect(saga.attention).toBeUndefined();
    expect(calls.map((call) => call.split(' ')[1])).toEqual(['reserve', 'charge', 'ship']);
    // BullMQ marks the job completed just after the transition it made.
    const jobs = await waitFor(
      () => engine.queues.pool('payments').getJobs(['completed']),
      (completed) => completed.length > 0,
    );
    expect(jobs.map((job) => job.name)).toEqual(['charge']);
  });

  it("runs no more of a pool's steps at once than its concurrency", async () => {
    let running = 0;
    let most = 0;
    engine = new Engine(
      paymentSaga([], async () => {
        most = Math.max(most, ++running);
        await sleep(100);
        running--;
        return {};
      }),
    );
    engine.servePools([{ name: 'payments', concurrency: 1 }]);
    const ids = await Promise.all(
      [1, 2, 3, 4].map(async (i) => (await engine.client.start('order', { orderId: `o-${i}` })).id),
    );
    for (const id of ids) expect((await engine.waitUntilFinished(id)).status).toBe('completed');

    expect(most).toBe(1);
  });

  it("starts no more of a pool's steps per period than its rate limit, whatever the concurrency", async () => {
    const startedAt: number[] = [];
    engine = new Engine(
      paymentSaga([], async () => {
        startedAt.push(Date.now());
        return {};
      }),
    );
    engine.servePools([{ name: 'payments', concurrency: 10, rateLimit: { max: 2, durationMs: 1_000 } }]);
    const ids = await Promise.all(
      [1, 2, 3, 4, 5, 6].map(async (i) => (await engine.client.start('order', { orderId: `o-${i}` })).id),
    );
    for (const id of ids) expect((await engine.waitUntilFinished(id)).status).toBe('completed');

    // Six jobs at two per second: the last starts at least two seconds after the first.
    startedAt.sort((a, b) => a - b);
    expect(startedAt[5] - startedAt[0]).toBeGreaterThanOrEqual(1_900);
  });
});
