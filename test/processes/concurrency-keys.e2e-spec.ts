import type { SagaRecord } from '@sagaflow/core';
import type { PayoutLogEntry } from '../../libs/samples/src/payout';
import { SagaflowSystem } from '../support/apps';
import { waitFor } from '../support/wait-for';
import { readSaga, startSaga, waitForSaga } from '../faults/transfer.fixture';

/** A dead worker's step locks expire within about twice this: the suite recovers in seconds. */
const CRASH_ENV = {
  SAGAFLOW_LOCK_DURATION_MS: '1500',
  SAGAFLOW_SWEEP_INTERVAL_MS: '1000',
  SAGAFLOW_STUCK_AFTER_MS: '3000',
};

/**
 * The payout sample's concurrency key is the merchant: the rail's log of one merchant must show each attempt
 * start and end (sent, or cut short by a crash and started again) before the next payout's attempt starts.
 */
function overlaps(log: PayoutLogEntry[]): string[] {
  const found: string[] = [];
  let current: string | undefined;
  for (const { event, payoutId } of log) {
    if (event === 'started' && current !== undefined && current !== payoutId) {
      found.push(`${payoutId} started while ${current} was in flight`);
    }
    current = event === 'started' ? payoutId : undefined;
  }
  return found;
}

describe('concurrency keys across worker processes (the payout sample)', () => {
  let system: SagaflowSystem;
  afterEach(() => system?.stop());

  const payoutLog = async (merchantId: string) =>
    (await system.request<{ log: PayoutLogEntry[] }>('GET', `/demo/payouts/${merchantId}`)).body.log;
  const pay = (payoutId: string, merchantId: string) =>
    startSaga(system, 'payout', { payoutId, merchantId, amountCents: 500 });

  it('runs one payout of a merchant at a time, in start order, over two workers and through a crash of both', async () => {
    system = await SagaflowSystem.start({ workers: 2, env: CRASH_ENV });
    const merchant = `slow-${Date.now().toString(36)}`;
    const ids = [await pay('p1', merchant), await pay('p2', merchant), await pay('p3', merchant)];
    const other = await pay('q1', `${merchant}-other`);

    // Both workers are idle but for p1 and q1: p2 and p3 wait for p1's slot.
    await waitForSaga(system, ids[0], (saga) => saga.steps[0].status === 'running');
    await waitForSaga(system, other, (saga) => saga.steps[0].status === 'running');
    const queued = await Promise.all(ids.slice(1).map((id) => readSaga(system, id)));
    expect(queued.map((saga) => saga.status)).toEqual(['queued', 'queued']);

    // Both workers die in the middle of p1's payout (a slow merchant's takes 1.5 s); a new one takes over.
    await Promise.all(system.workers.map((worker) => worker.stop('SIGKILL')));
    expect((await readSaga(system, ids[1])).status).toBe('queued');
    await system.addWorker();

    const ended: SagaRecord[] = [];
    for (const id of [...ids, other]) ended.push(await waitForSaga(system, id, undefined, 60_000));
    expect(ended.map((saga) => saga.status)).toEqual(['completed', 'completed', 'completed', 'completed']);

    const log = await waitFor(
      () => payoutLog(merchant),
      (entries) => entries.filter((entry) => entry.event === 'sent').length === 3,
    );
    expect(overlaps(log)).toEqual([]);
    expect(log.filter((entry) => entry.event === 'sent').map((entry) => entry.payoutId)).toEqual(['p1', 'p2', 'p3']);
    // p1's first attempt died with the workers; it was started again, and sent once.
    expect(log.filter((entry) => entry.payoutId === 'p1').map((entry) => entry.event)).toEqual([
      'started',
      'started',
      'sent',
    ]);
  });

  it('answers 202 with status queued for a payout whose merchant has one running, and cancels it from the queue', async () => {
    system = await SagaflowSystem.start({ workers: 1 });
    const merchant = `slow-${Date.now().toString(36)}`;
    const running = await pay('p1', merchant);
    const { status, body } = await system.request<{ id: string; status: string }>('POST', '/sagas/payout', {
      payoutId: 'p2',
      merchantId: merchant,
      amountCents: 500,
    });
    expect({ status, saga: body.status }).toEqual({ status: 202, saga: 'queued' });

    const cancelled = await system.request<{ status: string }>('POST', `/sagas/${body.id}/cancel`, {
      reason: 'merchant closed',
    });
    expect(cancelled).toMatchObject({ status: 202, body: { status: 'compensated' } });
    expect((await waitForSaga(system, running)).status).toBe('completed');
    expect((await payoutLog(merchant)).map((entry) => entry.payoutId)).toEqual(['p1', 'p1']);
  });
});
