import { Counter, Gauge, type Registry } from 'prom-client';
import type { EngineReading, EngineReadings } from './engine-readings';
import { ReportedHistogram } from './reported-histogram';

/**
 * Registers the engine's metrics. Their values are read from Redis at scrape time (see {@link EngineReadings}):
 * the transitions count them there, so they hold for the whole deployment, whichever process moved a saga, and
 * every API process answers the same figures.
 */
export function registerEngineMetrics(registry: Registry, readings: EngineReadings): void {
  /** A metric filled from the reading at each collect; left empty when Redis did not answer. */
  const fromReading = <T extends { reset(): void }>(fill: (metric: T, reading: EngineReading) => void) =>
    async function collect(this: T): Promise<void> {
      const reading = await readings.read();
      this.reset();
      if (reading) fill(this, reading);
    };

  registry.registerMetric(
    new Gauge({
      name: 'sagaflow_redis_up',
      help: "1 when this scrape read the engine's figures from Redis; 0 when Redis did not answer and the sagaflow series are missing.",
      registers: [],
      async collect() {
        this.set((await readings.read()) ? 1 : 0);
      },
    }),
  );
  registry.registerMetric(
    new Counter({
      name: 'sagaflow_sagas_started_total',
      help: 'Sagas started, by saga name.',
      labelNames: ['saga'] as const,
      registers: [],
      collect: fromReading((metric, { metrics }) => {
        for (const { saga, count } of metrics.started) metric.inc({ saga }, count);
      }),
    }),
  );
  registry.registerMetric(
    new Counter({
      name: 'sagaflow_sagas_finished_total',
      help: 'Sagas that reached completed, compensated or compensation_failed (a parked saga retried to its end counts again).',
      labelNames: ['saga', 'status'] as const,
      registers: [],
      collect: fromReading((metric, { metrics }) => {
        for (const { saga, status, count } of metrics.finished) metric.inc({ saga, status }, count);
      }),
    }),
  );
  registry.registerMetric(
    new Counter({
      name: 'sagaflow_sagas_removed_total',
      help: 'Ended sagas removed, with their history, once their retention was over.',
      labelNames: ['saga'] as const,
      registers: [],
      collect: fromReading((metric, { metrics }) => {
        for (const { saga, count } of metrics.removed) metric.inc({ saga }, count);
      }),
    }),
  );
  registry.registerMetric(
    new Gauge({
      name: 'sagaflow_sagas',
      help: 'Sagas now in each status.',
      labelNames: ['saga', 'status'] as const,
      registers: [],
      collect: fromReading((metric, { metrics }) => {
        for (const { saga, status, count } of metrics.current) metric.set({ saga, status }, count);
      }),
    }),
  );
  registry.registerMetric(
    new Counter({
      name: 'sagaflow_step_retries_total',
      help: 'Failed step attempts that were retried.',
      labelNames: ['saga', 'step'] as const,
      registers: [],
      collect: fromReading((metric, { metrics }) => {
        for (const { saga, step, count } of metrics.stepRetries) metric.inc({ saga, step }, count);
      }),
    }),
  );
  registry.registerMetric(
    new Counter({
      name: 'sagaflow_compensations_total',
      help: 'Compensations of a step that ended, by outcome (failed: its attempts ran out).',
      labelNames: ['saga', 'step', 'outcome'] as const,
      registers: [],
      collect: fromReading((metric, { metrics }) => {
        for (const { saga, step, outcome, count } of metrics.compensations) metric.inc({ saga, step, outcome }, count);
      }),
    }),
  );
  registry.registerMetric(
    new ReportedHistogram(
      {
        name: 'sagaflow_step_duration_seconds',
        help: 'How long successful steps took, from the start of their first attempt.',
        labelNames: ['saga', 'step'] as const,
      },
      async () =>
        ((await readings.read())?.metrics.stepDurations ?? []).map(({ saga, step, sumSeconds, ...histogram }) => ({
          labels: { saga, step },
          sum: sumSeconds,
          ...histogram,
        })),
    ),
  );
  registry.registerMetric(
    new Gauge({
      name: 'sagaflow_queue_jobs',
      help: 'Jobs in each state of each BullMQ queue of the engine (one per saga, and the events queue).',
      labelNames: ['queue', 'state'] as const,
      registers: [],
      collect: fromReading((metric, { queues }) => {
        for (const { queue, counts } of queues) {
          for (const [state, count] of Object.entries(counts)) metric.set({ queue, state }, count);
        }
      }),
    }),
  );
}
