import type { SagaPage } from '@sagaflow/core';
import { SagaflowSystem } from '../support/apps';
import { PrivateRedis } from '../../tools/private-redis';
import { waitFor } from '../support/wait-for';
import { deliverAndSettle } from '../checkout/delivery.fixture';
import { order } from '../checkout/order.fixture';
import { TERMINAL, readSaga, startSaga, totalBalance, transfer, waitForSaga } from './transfer.fixture';

const CRASH_ENV = {
  SAGAFLOW_LOCK_DURATION_MS: '1500',
  SAGAFLOW_SWEEP_INTERVAL_MS: '1000',
  SAGAFLOW_STUCK_AFTER_MS: '3000',
};

/** Alternates transfers and checkouts, some of which must compensate. */
function mixedInput(i: number): [string, object] {
  const inputs: [string, object][] = [
    ['transfer', transfer()],
    ['checkout', order({ items: [{ sku: 'SKU-COFFEE', quantity: 1, priceCents: 1_800 }] })],
    ['transfer', transfer({ toAccount: 'closed-1' })],
    ['checkout', order({ shippingAddress: { line1: 'McMurdo', city: 'Ross Island', country: 'AQ' } })],
  ];
  return inputs[i % inputs.length];
}

describe('when Redis goes away', () => {
  let redis: PrivateRedis;
  let system: SagaflowSystem;

  afterEach(async () => {
    await redis.resume();
    await system.stop();
    await redis.destroy();
  });

  it('killed and restarted with AOF while sagas run: every accepted saga finishes, none is lost', async () => {
    redis = await PrivateRedis.start({ aof: 'always' });
    system = await SagaflowSystem.start({ workers: 2, redisUrl: redis.url, env: CRASH_ENV });
    const before = await totalBalance(system);
    const accepted: { id: string; name: string }[] = [];
    let refused = 0;

    for (let i = 0; i < 60; i++) {
      if (i === 20) await redis.kill();
      if (i === 30) await redis.resume();
      const [name, input] = mixedInput(i);
      const answer = await system.request<{ id: string }>('POST', `/sagas/${name}`, input);
      if (answer.status === 202) accepted.push({ id: answer.body.id, name });
      else refused++;
    }

    expect(refused).toBeGreaterThan(0);
    for (const { id, name } of accepted) {
      // A shipped checkout waits for its parcel: the carrier delivers it once Redis is back.
      const saga =
        name === 'checkout'
          ? await deliverAndSettle(system, id, { timeoutMs: 60_000 })
          : await waitForSaga(system, id, (current) => TERMINAL.includes(current.status), 60_000);
      expect([saga.id, saga.status]).toEqual([id, expect.stringMatching(/^(completed|compensated)$/)]);
    }
    expect(await totalBalance(system)).toBe(before);
  });

  it('unreachable for about 10 s: the API answers 503 meanwhile, nothing is half-created, the workers carry on', async () => {
    redis = await PrivateRedis.start();
    system = await SagaflowSystem.start({ workers: 1, redisUrl: redis.url, env: CRASH_ENV });
    const before = await totalBalance(system);
    // Slow credits keep these sagas in flight through the outage.
    const inFlight = [];
    for (let i = 0; i < 5; i++) inFlight.push(await startSaga(system, 'transfer', transfer({ reference: 'slow' })));

    await redis.kill();
    const outageEnds = Date.now() + 10_000;
    let answers = 0;
    while (Date.now() < outageEnds) {
      const started = await system.request<{ code: string; message: string }>('POST', '/sagas/transfer', transfer());
      expect(started.status).toBe(503);
      expect(started.body).toMatchObject({
        code: 'SAGA.STORE_UNAVAILABLE',
        message: expect.stringContaining('Redis is unreachable'),
      });
      expect((await system.request('GET', `/sagas/${inFlight[0]}`)).status).toBe(503);
      answers++;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(answers).toBeGreaterThan(5);
    expect(system.api.running).toBe(true);
    await redis.resume();

    for (const id of inFlight) expect((await waitForSaga(system, id, undefined, 60_000)).status).toBe('completed');
    const after = await waitFor(
      () => system.request<{ id: string }>('POST', '/sagas/transfer', transfer()),
      (answer) => answer.status === 202,
      { timeoutMs: 10_000, intervalMs: 250 },
    );
    expect((await waitForSaga(system, after.body.id)).status).toBe('completed');
    // Only the accepted sagas exist: none of the refused starts left a trace.
    const listed = (await system.request<SagaPage>('GET', '/sagas?limit=100')).body.items.map((item) => item.id);
    expect(listed.sort()).toEqual([...inFlight, after.body.id].sort());
    expect(await totalBalance(system)).toBe(before);
    expect(
      (await readSaga(system, inFlight[0])).history.filter((entry) => entry.type === 'saga.completed'),
    ).toHaveLength(1);
    // A 10 s outage, then up to a minute for the sagas in flight on a loaded machine (CI runs suites side by side).
  }, 150_000);
});
