import type { Phase, TraceCarrier } from '../store/transition';

/** One attempt of a step's run or of its compensation, as an {@link AttemptObserver} sees it. @publicApi */
export interface ObservedAttempt {
  sagaId: string;
  saga: string;
  version: number;
  step: string;
  phase: Phase;
  /** 1 for the first attempt, counted across the jobs that ran the step. */
  attempt: number;
  /** The trace context stored with the saga at its start, when it started traced. */
  trace?: TraceCarrier;
}

/**
 * Wraps every step attempt a worker runs, for spans or metrics: `run` runs the attempt (once), and what `observe`
 * returns must settle as it does. Given to the {@link StepExecutor}; a worker with none adds nothing to an attempt.
 * @publicApi
 */
export interface AttemptObserver {
  observe<T>(attempt: ObservedAttempt, run: () => Promise<T>): Promise<T>;
}

/** Runs `run` inside every observer, the first outermost. */
export function observeAttempt<T>(
  observers: readonly AttemptObserver[],
  attempt: ObservedAttempt,
  run: () => Promise<T>,
): Promise<T> {
  return observers.reduceRight<() => Promise<T>>((inner, observer) => () => observer.observe(attempt, inner), run)();
}
