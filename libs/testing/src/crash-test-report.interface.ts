import type { CrashPoint, SagaStatus } from '@sagaflow/core';
import type { FinalSagaStatus } from './final-saga-status';

/**
 * What went wrong in a run:
 * - `invariant`: your invariants threw;
 * - `status`: the saga ended otherwise than the scenario expects;
 * - `no-crash`: the worker did not crash at the point (the saga never passed it in this run);
 * - `timeout`: the saga was not final, or its jobs not settled, within `runTimeoutMs`;
 * - `worker`: a worker process exited on its own (not at the crash point);
 * - `run`: the run itself failed (the input factory, starting the saga, `whenWaiting`, Redis).
 * @publicApi
 */
export type CrashViolationKind = 'invariant' | 'status' | 'no-crash' | 'timeout' | 'worker' | 'run';

/** @publicApi */
export interface CrashViolation {
  kind: CrashViolationKind;
  message: string;
}

/**
 * One run: a saga started with a worker that crashes at `point` (none for the undisturbed run), then finished
 * by a healthy worker.
 * @publicApi
 */
export interface CrashRunResult {
  scenario: string;
  /** Absent for the scenario's undisturbed run. */
  point?: CrashPoint;
  /** `saga/step/phase/moment`, or `undisturbed`. */
  label: string;
  /** The run's key prefix. */
  prefix: string;
  /** Absent when the run failed before its saga started. */
  sagaId?: string;
  /** Whether the first worker died at the point (SIGKILL), as asked. Always false for the undisturbed run. */
  crashed: boolean;
  /** The saga's status when the run ended: final unless the run timed out. */
  status?: SagaStatus;
  /** Empty when all went well. */
  violations: CrashViolation[];
  durationMs: number;
}

/** @publicApi */
export interface CrashScenarioReport {
  scenario: string;
  expect: FinalSagaStatus;
  /** The run without a crash. When it has violations, no point of the scenario is run. */
  undisturbed: CrashRunResult;
  /** The points the undisturbed run passed (and `points` allows), in the order it passed them. */
  reached: CrashPoint[];
  /** The points given in `points` that this scenario does not reach: not run. */
  unreached: CrashPoint[];
  /** One per reached point. */
  runs: CrashRunResult[];
}

/**
 * What {@link crashTest} found. Pass it to {@link assertNoViolations} in a test.
 * @publicApi
 */
export interface CrashTestReport {
  saga: string;
  scenarios: CrashScenarioReport[];
  /** Runs made, the undisturbed ones included. */
  runs: number;
  /** Runs with at least one violation. */
  violated: number;
  durationMs: number;
}
