import type { Duration } from './duration';

/**
 * How a failed attempt is retried. Names follow BullMQ, which executes the retries.
 * @publicApi
 */
export interface RetryOptions {
  /**
   * Total attempts, the first included. `1` means no retry.
   * @defaultValue 3 for a step, 10 for a compensation
   */
  attempts?: number;
  /**
   * Wait before the next attempt: a fixed {@link Duration}, or an object for exponential backoff
   * (`delay * 2^(attempt - 1)`).
   * @defaultValue `{ type: 'exponential', delay: '1s' }`
   */
  backoff?: Duration | { type: 'fixed' | 'exponential'; delay: Duration };
}

/**
 * Options of one phase of a step (its run, or its compensation).
 * @publicApi
 */
export interface PhaseOptions {
  retry?: RetryOptions;
  /**
   * Longest time one attempt may take. When it elapses the attempt's `ctx.signal` is aborted and the
   * attempt fails with `StepTimeoutError`, which is retried like any other transient error.
   * @defaultValue '60s'
   */
  timeout?: Duration;
}

/**
 * Options of a step: those of its run, plus those of its compensation under `compensation`.
 * @publicApi
 */
export interface StepOptions extends PhaseOptions {
  compensation?: PhaseOptions;
  /**
   * Also compensate this step when its own run fails for good, before the steps before it. For a step whose
   * last attempt may have taken effect although it failed (a timeout, a lost reply, a crash after the call): its
   * compensation then runs with `output` undefined and must undo by `ctx.runIdempotencyKey`, doing nothing when
   * the run never took effect.
   * @defaultValue false
   */
  compensateOnFailure?: boolean;
  /**
   * The worker pool that runs the step and its compensation: only worker processes that serve it (for example
   * those holding payment credentials) take its jobs. A step whose pool no worker serves waits, and the saga shows
   * it as needing attention.
   * @defaultValue 'default'
   */
  pool?: string;
}

/** Phase options with every default applied and durations in milliseconds. */
export interface ResolvedPhaseOptions {
  attempts: number;
  backoff: { type: 'fixed' | 'exponential'; delayMs: number };
  timeoutMs: number;
}
