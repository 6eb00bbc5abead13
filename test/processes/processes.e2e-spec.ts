import type { Job } from 'bullmq';
import { Queue } from 'bullmq';
import type { SagaRecord } from '@sagaflow/core';
import { AppProcess, SagaflowSystem } from '../support/apps';
import { REDIS_URL, connect } from '../support/redis';
import { waitFor } from '../support/wait-for';
import { deliverAndSettle } from '../checkout/delivery.fixture';
import { CARDS, order } from '../checkout/order.fixture';

const TERMINAL = ['completed', 'compensated', 'compensation_failed'];

describe('API and worker processes', () => {
  describe('when the API runs with SAGAFLOW_EMBEDDED_WORKER=true (the quick start)', () => {
    let system: SagaflowSystem;
    beforeAll(async () => {
      system = await SagaflowSystem.start({ workers: 0, apiEnv: { SAGAFLOW_EMBEDDED_WORKER: 'true' } });
    });
    afterAll(() => system.stop());

    it('runs a checkout to completion in that one process, its wait for the delivery included', async () => {
      const { body } = await system.request<{ id: string }>('POST', '/sagas/checkout', order());
      const saga = await deliverAndSettle(system, body.id);
      expect(saga.status).toBe('completed');
      expect(saga.steps.map((step) => step.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    });
  });

  describe('when a worker receives SIGTERM while it holds a step', () => {
    let system: SagaflowSystem;
    beforeAll(async () => {
      system = await SagaflowSystem.start({ workers: 1 });
    });
    afterAll(() => system.stop());

    it('finishes the attempt before exiting, leaves no job active, and another worker carries the saga on', async () => {
      // The processor hangs until the 2 s step timeout: the worker is inside the attempt when it is told to stop.
      const { body } = await system.request<{ id: string }>(
        'POST',
        '/sagas/checkout',
        order({ payment: { cardNumber: CARDS.processorHangs } }),
      );
      await waitFor(
        async () => (await system.request<SagaRecord>('GET', `/sagas/${body.id}`)).body,
        (saga) => saga.steps[1].status === 'running',
      );

      const [worker] = system.workers;
      const stoppedAt = Date.now();
      expect(await worker.stop('SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
      expect(worker.log).toMatch(/Step attempt failed: Step "chargePayment" did not finish within 2000 ms/);
      expect(Date.now() - stoppedAt).toBeLessThan(10_000);
      const redis = connect();
      // chargePayment runs in the payments pool: its jobs are in that pool's queue.
      const queue = new Queue('pool-payments', { connection: redis, prefix: system.prefix });
      expect(await queue.getActiveCount()).toBe(0);
      const attempts = await waitFor(
        async () => (await system.request<SagaRecord>('GET', `/sagas/${body.id}`)).body,
        (saga) => saga.steps[1].attempts >= 1 && saga.steps[1].status !== 'running',
      );
      expect(attempts.steps[1]).toMatchObject({ status: 'retrying', error: { name: 'StepTimedOutError' } });

      await system.addWorker();
      const saga = await waitFor(
        async () => (await system.request<SagaRecord>('GET', `/sagas/${body.id}`)).body,
        (current) => TERMINAL.includes(current.status),
      );
      expect(saga.status).toBe('compensated');
      expect(saga.steps[1].attempts).toBe(3);
      const jobs: Job[] = await queue.getJobs(['failed']);
      expect(jobs.map((job) => job.name)).toEqual(['chargePayment']);
      await queue.close();
      await redis.quit();
    });
  });

  describe('when the configuration is invalid', () => {
    it('refuses to start and names the variable at fault', async () => {
      const api = AppProcess.start('api', { REDIS_URL, PORT: '0', WORKER_CONCURRENCY: '0' }, /listening on port/);
      await expect(api).rejects.toThrow(/WORKER_CONCURRENCY must not be less than 1/);
    });
  });
});
