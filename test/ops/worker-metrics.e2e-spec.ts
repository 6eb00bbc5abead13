import { startSaga, transfer, waitForSaga } from '../faults/transfer.fixture';
import { SagaflowSystem } from '../support/apps';
import { sample, scrape } from './prometheus.fixture';

/** The worker's own GET /metrics, served on SAGAFLOW_WORKER_METRICS_PORT by the built worker process. */
describe("the worker's metrics", () => {
  let system: SagaflowSystem;
  let workerMetrics: string;

  beforeAll(async () => {
    system = await SagaflowSystem.start({ env: { SAGAFLOW_WORKER_METRICS_PORT: '0' } });
    const [, port] = await system.workers[0].waitForOutput(/Metrics on port (\d+)/);
    workerMetrics = `http://127.0.0.1:${port}`;
  });
  afterAll(() => system.stop());

  it("serves the worker process' CPU, memory and event loop lag in the Prometheus text format", async () => {
    const scraped = await scrape(workerMetrics);

    expect(scraped.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(scraped.text).toMatch(/^# TYPE process_cpu_user_seconds_total counter$/m);
    expect(scraped.text).toMatch(/^# TYPE process_resident_memory_bytes gauge$/m);
    expect(scraped.text).toMatch(/^# TYPE nodejs_eventloop_lag_seconds gauge$/m);
    expect(scraped.text).toMatch(/^# TYPE sagaflow_worker_step_attempt_duration_seconds histogram$/m);
  });

  it('counts and times each step attempt and compensation attempt the worker ran, by outcome', async () => {
    const before = await scrape(workerMetrics);
    // flaky-1 is given back on the third attempt of its compensation; closed-1 refuses the credit for good.
    const id = await startSaga(system, 'transfer', transfer({ fromAccount: 'flaky-1', toAccount: 'closed-1' }));
    expect((await waitForSaga(system, id)).status).toBe('compensated');
    const after = await scrape(workerMetrics);

    const attempts = (step: string, phase: string, outcome: string) => {
      const series = `sagaflow_worker_step_attempt_duration_seconds_count{saga="transfer",step="${step}",phase="${phase}",outcome="${outcome}"}`;
      return sample(after, series) - sample(before, series);
    };
    expect(attempts('debitSource', 'run', 'succeeded')).toBe(1);
    expect(attempts('creditDestination', 'run', 'failed')).toBe(1);
    expect(attempts('creditDestination', 'compensate', 'succeeded')).toBe(1);
    expect(attempts('debitSource', 'compensate', 'failed')).toBe(2);
    expect(attempts('debitSource', 'compensate', 'succeeded')).toBe(1);
    const sum =
      'sagaflow_worker_step_attempt_duration_seconds_sum{saga="transfer",step="debitSource",phase="compensate",outcome="failed"}';
    expect(after.samples.has(sum)).toBe(true);
  });

  it('answers 404 off /metrics', async () => {
    expect((await fetch(`${workerMetrics}/health`)).status).toBe(404);
  });
});
