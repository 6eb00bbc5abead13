import type { SagaRecord } from '@sagaflow/core';
import { order } from '../checkout/order.fixture';
import { AppProcess, SagaflowSystem } from '../support/apps';
import { waitFor } from '../support/wait-for';

describe('worker pools over the built processes', () => {
  let system: SagaflowSystem;
  afterAll(() => system?.stop());

  it('leaves a checkout waiting at its payments step until a worker serving that pool comes, and says why', async () => {
    system = await SagaflowSystem.start({ workers: 1, env: { SAGAFLOW_POOLS: 'default' } });
    const started = await system.request<{ id: string }>('POST', '/sagas/checkout', order());
    const waiting = await waitFor(
      () => system.request<SagaRecord>('GET', `/sagas/${started.body.id}`),
      (answer) => answer.body.attention !== undefined && answer.body.steps[0].status === 'succeeded',
    );
    expect(waiting.body.status).toBe('running');
    expect(waiting.body.steps.map((step) => step.status).slice(0, 2)).toEqual(['succeeded', 'pending']);
    expect(waiting.body.attention?.reason).toContain('pool "payments"');

    const payments = await AppProcess.start(
      'worker',
      { ...system.env, SAGAFLOW_POOLS: 'payments', SAGAFLOW_POOL_CONCURRENCY: 'payments=2' },
      /Processing steps of .* in pools payments/,
    );
    system.workers.push(payments);
    const shipped = await waitFor(
      () => system.request<SagaRecord>('GET', `/sagas/${started.body.id}`),
      (answer) => answer.body.status === 'waiting',
    );
    expect(shipped.body.steps.map((step) => step.status).slice(0, 3)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(shipped.body.attention).toBeUndefined();
  });

  it('refuses to start a worker whose pool settings are malformed, naming the variable', async () => {
    const worker = AppProcess.start(
      'worker',
      { ...system.env, SAGAFLOW_POOL_RATE_LIMIT: 'payments=lots' },
      /Processing steps of/,
    );
    await expect(worker).rejects.toThrow(/SAGAFLOW_POOL_RATE_LIMIT: "payments=lots" is not <pool>=<value>/);
  });
});
