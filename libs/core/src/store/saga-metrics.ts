import type { SagaStatus } from './saga-record';

/** Upper bounds of the step duration buckets, in seconds; `lua/includes/metrics.lua` counts by the same. */
export const DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] as const;

/** How long successful steps took, from their first attempt's start: a Prometheus-style histogram. @publicApi */
export interface StepDurations {
  saga: string;
  step: string;
  bucketsSeconds: readonly number[];
  /** Steps that took at most each bucket's bound, then all of them (+Inf): `bucketsSeconds.length + 1` entries. */
  cumulativeCounts: number[];
  sumSeconds: number;
  count: number;
}

/**
 * Counters kept in Redis by the transitions themselves, so they hold for the whole deployment and count each
 * transition once.
 * @publicApi
 */
export interface SagaMetrics {
  started: { saga: string; count: number }[];
  /** Sagas that reached a final or parked status (a parked saga that is retried and ends counts twice). */
  finished: { saga: string; status: 'completed' | 'compensated' | 'compensation_failed'; count: number }[];
  /** Sagas now in each status. */
  current: { saga: string; status: SagaStatus; count: number }[];
  /** Ended sagas removed once their retention was over (see SagaReaper). */
  removed: { saga: string; count: number }[];
  stepRetries: { saga: string; step: string; count: number }[];
  compensations: { saga: string; step: string; outcome: 'succeeded' | 'failed'; count: number }[];
  stepDurations: StepDurations[];
}

/** Reads the metrics hash (see `lua/includes/metrics.lua`). */
export function parseMetrics(fields: Record<string, string>): SagaMetrics {
  const metrics: SagaMetrics = {
    started: [],
    finished: [],
    current: [],
    removed: [],
    stepRetries: [],
    compensations: [],
    stepDurations: [],
  };
  const durations = new Map<string, StepDurations>();
  const durationsOf = (saga: string, step: string): StepDurations => {
    const series = `${saga}|${step}`;
    let entry = durations.get(series);
    if (!entry) {
      const cumulativeCounts = new Array<number>(DURATION_BUCKETS_SECONDS.length + 1).fill(0);
      entry = { saga, step, bucketsSeconds: DURATION_BUCKETS_SECONDS, cumulativeCounts, sumSeconds: 0, count: 0 };
      durations.set(series, entry);
    }
    return entry;
  };
  for (const [field, raw] of Object.entries(fields)) {
    const [kind, saga, third, fourth] = field.split('|');
    const count = Number(raw);
    switch (kind) {
      case 'started':
        metrics.started.push({ saga, count });
        break;
      case 'finished':
        metrics.finished.push({ saga, status: third as SagaMetrics['finished'][number]['status'], count });
        break;
      case 'current':
        metrics.current.push({ saga, status: third as SagaStatus, count });
        break;
      case 'removed':
        metrics.removed.push({ saga, count });
        break;
      case 'retries':
        metrics.stepRetries.push({ saga, step: third, count });
        break;
      case 'compensations':
        metrics.compensations.push({ saga, step: third, outcome: fourth as 'succeeded' | 'failed', count });
        break;
      case 'duration':
        // Buckets are 1-based in Lua; each counts only its own range until summed up below.
        durationsOf(saga, third).cumulativeCounts[Number(fourth) - 1] += count;
        break;
      case 'duration_sum_ms':
        durationsOf(saga, third).sumSeconds = count / 1_000;
        break;
    }
  }
  for (const entry of durations.values()) {
    for (let i = 1; i < entry.cumulativeCounts.length; i++) entry.cumulativeCounts[i] += entry.cumulativeCounts[i - 1];
    entry.count = entry.cumulativeCounts[entry.cumulativeCounts.length - 1];
    metrics.stepDurations.push(entry);
  }
  return metrics;
}
