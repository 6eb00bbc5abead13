import { DURATION_BUCKETS_SECONDS, type AttemptObserver, type ObservedAttempt } from '@sagaflow/core';
import { Histogram, type Registry } from 'prom-client';

/**
 * The step attempts this process runs, by saga, step, phase and outcome, with how long each took: measured here,
 * unlike the API's `sagaflow_*` series, which Redis counts for the whole deployment.
 */
export class StepMetrics implements AttemptObserver {
  private readonly attempts: Histogram<'saga' | 'step' | 'phase' | 'outcome'>;

  constructor(registry: Registry) {
    this.attempts = new Histogram({
      name: 'sagaflow_worker_step_attempt_duration_seconds',
      help: 'Step attempts (runs and compensations) this worker ran, by outcome, and how long each took; _count counts them.',
      labelNames: ['saga', 'step', 'phase', 'outcome'] as const,
      buckets: [...DURATION_BUCKETS_SECONDS],
      registers: [registry],
    });
  }

  async observe<T>({ saga, step, phase }: ObservedAttempt, run: () => Promise<T>): Promise<T> {
    const end = this.attempts.startTimer({ saga, step, phase });
    try {
      const result = await run();
      end({ outcome: 'succeeded' });
      return result;
    } catch (error) {
      end({ outcome: 'failed' });
      throw error;
    }
  }
}
