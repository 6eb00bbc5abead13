import { startSaga, transfer, waitForSaga } from '../faults/transfer.fixture';
import { SagaflowSystem } from '../support/apps';
import { sample, scrape } from './prometheus.fixture';

describe('GET /metrics', () => {
  let system: SagaflowSystem;

  beforeAll(async () => {
    system = await SagaflowSystem.start();
  });

  afterAll(() => system.stop());

  it('serves the process metrics in the Prometheus text format', async () => {
    const scraped = await scrape(system);

    expect(scraped.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(scraped.text).toMatch(/^# TYPE process_cpu_user_seconds_total counter$/m);
    expect(scraped.text).toMatch(/^# TYPE nodejs_eventloop_lag_seconds gauge$/m);
    expect(sample(scraped, 'sagaflow_redis_up')).toBe(1);
  });

  it('lists the jobs of every queue of the engine by state', async () => {
    const scraped = await scrape(system);

    for (const queue of ['saga-checkout', 'saga-transfer', 'saga-loyalty', 'sagaflow-events']) {
      expect(scraped.samples.has(`sagaflow_queue_jobs{queue="${queue}",state="failed"}`)).toBe(true);
      expect(scraped.samples.has(`sagaflow_queue_jobs{queue="${queue}",state="waiting"}`)).toBe(true);
    }
  });

  describe('when a transfer completes and another compensates', () => {
    it('moves the started, finished, retry, compensation and duration series of the transfer saga', async () => {
      const before = await scrape(system);

      const completed = await startSaga(system, 'transfer', transfer());
      // "poison": every credit fails (transiently) until its 3 attempts run out, then the debit is given back.
      const compensated = await startSaga(system, 'transfer', transfer({ reference: 'poison' }));
      expect((await waitForSaga(system, completed)).status).toBe('completed');
      expect((await waitForSaga(system, compensated)).status).toBe('compensated');
      const after = await scrape(system);

      const moved = (series: string) => sample(after, series) - sample(before, series);
      expect(moved('sagaflow_sagas_started_total{saga="transfer"}')).toBe(2);
      expect(moved('sagaflow_sagas_finished_total{saga="transfer",status="completed"}')).toBe(1);
      expect(moved('sagaflow_sagas_finished_total{saga="transfer",status="compensated"}')).toBe(1);
      expect(moved('sagaflow_sagas{saga="transfer",status="completed"}')).toBe(1);
      expect(moved('sagaflow_sagas{saga="transfer",status="compensated"}')).toBe(1);
      expect(moved('sagaflow_step_retries_total{saga="transfer",step="creditDestination"}')).toBe(2);
      expect(moved('sagaflow_compensations_total{saga="transfer",step="debitSource",outcome="succeeded"}')).toBe(1);
      expect(moved('sagaflow_queue_jobs{queue="saga-transfer",state="failed"}')).toBe(1);

      // Both debits succeeded, one credit did: a histogram series per step, buckets cumulative up to +Inf = count.
      expect(after.text).toMatch(/^# TYPE sagaflow_step_duration_seconds histogram$/m);
      expect(moved('sagaflow_step_duration_seconds_count{saga="transfer",step="debitSource"}')).toBe(2);
      expect(moved('sagaflow_step_duration_seconds_count{saga="transfer",step="creditDestination"}')).toBe(1);
      const series = 'saga="transfer",step="debitSource"';
      const buckets = [...after.samples]
        .filter(([name]) => name.startsWith(`sagaflow_step_duration_seconds_bucket{${series},le=`))
        .map(([, value]) => value);
      expect(buckets.length).toBeGreaterThan(1);
      expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
      expect(sample(after, `sagaflow_step_duration_seconds_bucket{${series},le="+Inf"}`)).toBe(
        sample(after, `sagaflow_step_duration_seconds_count{${series}}`),
      );
      // Steps this quick may sum to 0 ms: only the series' presence is certain.
      expect(after.samples.has(`sagaflow_step_duration_seconds_sum{${series}}`)).toBe(true);
    });
  });
});
