import { SagaflowSystem } from '../support/apps';
import { PrivateRedis } from '../../tools/private-redis';
import { applications, startSaga, totalBalance, transfer, waitForSaga } from './transfer.fixture';

/** A dead worker's step locks expire within about twice this; short so that the tests recover in seconds. */
const CRASH_ENV = {
  SAGAFLOW_LOCK_DURATION_MS: '1500',
  SAGAFLOW_SWEEP_INTERVAL_MS: '1000',
  SAGAFLOW_STUCK_AFTER_MS: '3000',
};

describe('when a worker is killed (SIGKILL)', () => {
  let redis: PrivateRedis;
  let system: SagaflowSystem;

  beforeEach(async () => {
    redis = await PrivateRedis.start();
    system = await SagaflowSystem.start({ workers: 1, redisUrl: redis.url, env: CRASH_ENV });
  });
  afterEach(async () => {
    await system.stop();
    await redis.destroy();
  });

  it('in the middle of a step, another worker finishes the saga and the credit is applied once', async () => {
    const before = await totalBalance(system);
    // A "slow" credit waits 1.5 s before it applies: the worker dies inside the step.
    const id = await startSaga(system, 'transfer', transfer({ reference: 'slow' }));
    await waitForSaga(system, id, (saga) => saga.steps[1].status === 'running');

    await system.workers[0].stop('SIGKILL');
    await system.addWorker();
    const saga = await waitForSaga(system, id);

    expect(saga.status).toBe('completed');
    expect(
      saga.history.filter((entry) => entry.type === 'step.started' && entry.step === 'creditDestination'),
    ).toHaveLength(2);
    expect(await applications(system, `${id}:creditDestination:run`)).toBe(1);
    expect(await applications(system, `${id}:debitSource:run`)).toBe(1);
    expect(await totalBalance(system)).toBe(before);
  });

  it('in the middle of a compensation, another worker finishes it and the debit is given back once', async () => {
    const before = await totalBalance(system);
    const source = async () =>
      (await system.request<{ balanceCents: number }>('GET', '/demo/accounts/slow-1')).body.balanceCents;
    const sourceBefore = await source();
    // The credit to a closed account fails for good; giving the debit back from a "slow-" account takes 1.5 s.
    const id = await startSaga(system, 'transfer', transfer({ fromAccount: 'slow-1', toAccount: 'closed-1' }));
    await waitForSaga(system, id, (saga) => saga.steps[0].status === 'compensating');

    await system.workers[0].stop('SIGKILL');
    await system.addWorker();
    const saga = await waitForSaga(system, id);

    expect(saga.status).toBe('compensated');
    expect(saga.steps.map((step) => step.status)).toEqual(['compensated', 'compensated']);
    expect(await applications(system, `${id}:debitSource:compensate`)).toBe(1);
    expect(await source()).toBe(sourceBefore);
    expect(await totalBalance(system)).toBe(before);
  });
});
