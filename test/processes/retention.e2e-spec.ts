import { readSaga, startSaga, transfer, waitForSaga } from '../faults/transfer.fixture';
import { sample, scrape } from '../ops/prometheus.fixture';
import { AppProcess, SagaflowSystem } from '../support/apps';
import { REDIS_URL } from '../support/redis';
import { waitFor } from '../support/wait-for';

describe('retention of ended sagas in the built processes', () => {
  describe('when SAGAFLOW_RETENTION is short', () => {
    let system: SagaflowSystem;
    beforeAll(async () => {
      system = await SagaflowSystem.start({
        env: { SAGAFLOW_RETENTION: '1s', SAGAFLOW_REAP_INTERVAL_MS: '200' },
      });
    });
    afterAll(() => system.stop());

    it('the workers remove a completed transfer after it: 404, and counted as removed in /metrics', async () => {
      const before = await scrape(system);
      const id = await startSaga(system, 'transfer', transfer());
      expect((await waitForSaga(system, id)).status).toBe('completed');

      await waitFor(
        () => system.request('GET', `/sagas/${id}`),
        (answer) => answer.status === 404,
        { timeoutMs: 10_000, intervalMs: 200 },
      );
      const after = await scrape(system);
      const moved = (series: string) => sample(after, series) - sample(before, series);
      expect(moved('sagaflow_sagas_removed_total{saga="transfer"}')).toBe(1);
      expect(moved('sagaflow_sagas{saga="transfer",status="completed"}')).toBe(0);
    });

    it('leaves a saga alone while it runs, however long that is', async () => {
      // A "slow" credit takes 1.5 s: longer than the retention, and the saga must still complete and be readable.
      const id = await startSaga(system, 'transfer', transfer({ reference: 'slow' }));
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      expect((await readSaga(system, id)).status).toBe('running');
      expect((await waitForSaga(system, id)).status).toBe('completed');
    });
  });

  describe('when SAGAFLOW_RETENTION is not a duration', () => {
    it('refuses to start and names the variable at fault', async () => {
      const worker = AppProcess.start('worker', { REDIS_URL, SAGAFLOW_RETENTION: '0d' }, /Processing steps of/);
      await expect(worker).rejects.toThrow(/SAGAFLOW_RETENTION must be a positive duration/);
    });
  });
});
