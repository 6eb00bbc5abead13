import { Queue } from 'bullmq';
import { SagaflowSystem } from '../support/apps';
import { connect } from '../support/redis';
import { applications, readSaga, startSaga, totalBalance, transfer, waitForSaga } from './transfer.fixture';

describe('transfer saga: failing steps and compensations, over HTTP', () => {
  let system: SagaflowSystem;

  beforeAll(async () => {
    system = await SagaflowSystem.start({ workers: 1 });
  });
  afterAll(() => system.stop());

  it('a poison step is retried, then the transfer is compensated and the money is back', async () => {
    const before = await totalBalance(system);
    const id = await startSaga(system, 'transfer', transfer({ reference: 'poison' }));
    const saga = await waitForSaga(system, id);

    expect(saga.status).toBe('compensated');
    expect(saga.steps[1]).toMatchObject({
      status: 'compensated',
      attempts: 3,
      error: { code: 'TRANSFER.BANK_UNAVAILABLE' },
    });
    expect(await applications(system, `${id}:debitSource:compensate`)).toBe(1);
    expect(await totalBalance(system)).toBe(before);
  });

  it('a compensation that fails twice succeeds on its third attempt', async () => {
    const before = await totalBalance(system);
    const id = await startSaga(system, 'transfer', transfer({ fromAccount: 'flaky-1', toAccount: 'closed-1' }));
    const saga = await waitForSaga(system, id);

    expect(saga.status).toBe('compensated');
    expect(saga.steps[0]).toMatchObject({ status: 'compensated', compensation: { attempts: 3 } });
    expect(
      saga.history.filter((entry) => entry.type === 'compensation.failed').map((entry) => entry.willRetry),
    ).toEqual([true, true]);
    expect(await totalBalance(system)).toBe(before);
  });

  it('a compensation that always fails parks the saga; once the cause is fixed, retry completes it', async () => {
    const before = await totalBalance(system);
    const id = await startSaga(system, 'transfer', transfer({ fromAccount: 'frozen-1', toAccount: 'closed-1' }));
    const parked = await waitForSaga(system, id);
    expect(parked.status).toBe('compensation_failed');
    expect(parked.steps[0]).toMatchObject({
      status: 'compensation_failed',
      compensation: { attempts: 4, error: { code: 'TRANSFER.ACCOUNT_FROZEN' } },
    });
    expect(await totalBalance(system)).toBe(before - 1_000);

    expect((await system.request('POST', '/demo/accounts/frozen-1/unfreeze')).status).toBe(200);
    expect((await system.request('POST', `/sagas/${id}/retry`, { note: 'account unfrozen' })).status).toBe(202);
    const saga = await waitForSaga(system, id, (current) => current.status === 'compensated');

    expect(saga.history.map((entry) => entry.type).slice(-3)).toEqual([
      'compensation.started',
      'compensation.succeeded',
      'saga.compensated',
    ]);
    expect(await totalBalance(system)).toBe(before);
  });

  it('the same step job delivered twice makes one transition and applies the debit once', async () => {
    const id = await startSaga(system, 'transfer', transfer());
    const saga = await waitForSaga(system, id);
    const redis = connect();
    const queue = new Queue('saga-transfer', { connection: redis, prefix: system.prefixOf(id) });
    // A copy of the first step's job, as a redelivery after a lost acknowledgement would be.
    const copy = await queue.add(
      'debitSource',
      { sagaId: id, saga: 'transfer', version: 1, phase: 'run', index: 0, gen: 0 },
      { jobId: `${id}-copy` },
    );
    await waitForSaga(system, id, () => true);
    await new Promise((resolve) => setTimeout(resolve, 500));

    expect(await copy.getState()).toBe('completed');
    expect(await readSaga(system, id)).toEqual(saga);
    expect(await applications(system, `${id}:debitSource:run`)).toBe(1);
    await queue.close();
    await redis.quit();
  });
});

describe('when a worker is stopped with SIGTERM under load', () => {
  let system: SagaflowSystem;

  beforeAll(async () => {
    system = await SagaflowSystem.start({ workers: 1 });
  });
  afterAll(() => system.stop());

  it('leaves no job active or stalled, and a new worker finishes every saga', async () => {
    const before = await totalBalance(system);
    const ids = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        startSaga(system, 'transfer', transfer({ reference: i % 4 === 0 ? 'slow' : undefined })),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));

    await system.workers[0].stop('SIGTERM');
    const redis = connect();
    // Every shard's queue of the transfer saga.
    const queues = system.prefixes.map((prefix) => new Queue('saga-transfer', { connection: redis, prefix }));
    const count = async (state: 'active' | 'failed') =>
      (await Promise.all(queues.map((queue) => queue.getJobCountByTypes(state)))).reduce((a, b) => a + b, 0);
    expect(await count('active')).toBe(0);

    await system.addWorker();
    for (const id of ids) expect((await waitForSaga(system, id)).status).toBe('completed');
    expect(await count('failed')).toBe(0);
    expect(await totalBalance(system)).toBe(before);
    await Promise.all(queues.map((queue) => queue.close()));
    await redis.quit();
  });
});
