import type { Redis } from 'ioredis';
import type { CrashPoint, PublishEvent, PublishResult, SagaDefinition, SagaRecord } from '@sagaflow/core';
import type { CrashRunResult } from './crash-test-report.interface';
import type { FinalSagaStatus } from './final-saga-status';

/**
 * How to start one of your worker processes: the process that registers the saga and its steps, as you deploy it.
 *
 * The kit adds the variables of {@link CRASH_TEST_ENV} to its environment, and your worker must honour them, as
 * `SagaWorkerModule` with `SagaEnvironment` does: `REDIS_URL`, `SAGAFLOW_PREFIX`, the recovery settings, and
 * `SAGAFLOW_CRASH_AT` (given to the first process of a run only, which must kill itself there).
 * @publicApi
 */
export interface CrashTestWorker {
  /** The executable, such as `process.execPath`. */
  command: string;
  /** Such as `['dist/worker/main.js']`. */
  args?: readonly string[];
  /**
   * Added to the environment of this process (which the worker inherits). It may not set the variables the kit
   * sets ({@link CRASH_TEST_ENV}), nor `NODE_ENV=production`, where workers refuse to crash on purpose.
   */
  env?: Readonly<Record<string, string>>;
  /** @defaultValue this process' working directory */
  cwd?: string;
}

/** The variables the kit sets in every worker's environment. @publicApi */
export const CRASH_TEST_ENV = [
  'REDIS_URL',
  'SAGAFLOW_PREFIX',
  'SAGAFLOW_CRASH_AT',
  'SAGAFLOW_LOCK_DURATION_MS',
  'SAGAFLOW_SWEEP_INTERVAL_MS',
  'SAGAFLOW_STUCK_AFTER_MS',
] as const;

/**
 * How fast the healthy worker of a run takes over from the crashed one. Short values make each run take a couple
 * of seconds; they are safe because every transition is fenced.
 * @publicApi
 */
export interface RecoverySettings {
  /**
   * `SAGAFLOW_LOCK_DURATION_MS`: a crashed worker's step is redelivered within about twice this.
   * @defaultValue 1000 (the least a worker accepts)
   */
  lockDurationMs: number;
  /**
   * `SAGAFLOW_SWEEP_INTERVAL_MS`: how often the sweeper looks for sagas that no job moves (a crash after a step
   * is recorded and before the next job is added leaves one).
   * @defaultValue 250
   */
  sweepIntervalMs: number;
  /**
   * `SAGAFLOW_STUCK_AFTER_MS`: how long such a saga goes unmoved before the sweeper moves it.
   * @defaultValue 1000
   */
  stuckAfterMs: number;
}

/**
 * What one run has of its own: a key prefix, so that runs share a Redis without seeing each other. Build your
 * gateways on `redis` and `prefix` to seed their state and to read it back.
 * @publicApi
 */
export interface CrashTestRun {
  /** The kit's connection to the Redis under test; do not close it. */
  readonly redis: Redis;
  /** The run's `SAGAFLOW_PREFIX`: every key of its sagas, queues (and the samples' gateways) starts with it. */
  readonly prefix: string;
}

/**
 * A saga as a run sees it.
 * @typeParam I - the saga's input type
 * @publicApi
 */
export interface CrashTestSaga<I> extends CrashTestRun {
  readonly sagaId: string;
  readonly input: I;
  readonly record: SagaRecord;
}

/**
 * What a scenario's `whenWaiting` gets: the saga waiting for an event, and a way to publish it.
 * @typeParam I - the saga's input type
 * @publicApi
 */
export interface WaitingSaga<I> extends CrashTestSaga<I> {
  /** Publishes an event on the run's prefix, as `SagaClient.publish` does. */
  publish(event: PublishEvent): Promise<PublishResult>;
}

/**
 * One way through the saga, run once undisturbed and then once per crash point it reaches.
 * @typeParam I - the saga's input type
 * @publicApi
 */
export interface CrashScenario<I> {
  /** Unique among the scenarios; names the scenario in the report. */
  name: string;
  /**
   * Gives the input of one run, fresh each time (new ids). Runs before any worker of the run starts: seed here the
   * state your invariants compare with (accounts, stock), under `run.prefix`.
   */
  input: (run: CrashTestRun) => I | Promise<I>;
  /** How the saga ends when nothing crashes; a run that ends otherwise is a violation. */
  expect: FinalSagaStatus;
  /**
   * Called once for each wait step the saga is seen waiting at, to play the outside world: publish the event
   * it waits for (and change what must change first, such as marking a parcel delivered). Without it, a
   * saga that waits for an event runs into the run's timeout.
   */
  whenWaiting?: (saga: WaitingSaga<I>) => Promise<void>;
}

/**
 * What an invariant is given after a run: the saga in its final state, and the crash point of the run.
 * @typeParam I - the saga's input type
 * @publicApi
 */
export interface InvariantContext<I> extends CrashTestSaga<I> {
  readonly scenario: CrashScenario<I>;
  /** The point the run crashed at; absent for the undisturbed run. */
  readonly point?: CrashPoint;
}

/**
 * Your rules, checked after every run: throw (an `expect` failing will do) to report a violation. Read the state
 * from your gateways under `context.prefix`; compare with what the input factory seeded.
 * @typeParam I - the saga's input type
 * @publicApi
 */
export type Invariant<I> = (context: InvariantContext<I>) => void | Promise<void>;

/**
 * Options of {@link crashTest}.
 * @typeParam I - the saga's input type
 * @publicApi
 */
export interface CrashTestOptions<I extends object> {
  /** The definition under test; the worker processes must register this same name and version. */
  saga: SagaDefinition<I, unknown>;
  worker: CrashTestWorker;
  /** `redis://` or `rediss://`. Runs only write keys under `<prefix>-<n>:`, and delete them afterwards. */
  redisUrl: string;
  /**
   * The base of each run's key prefix (`<prefix>-1`, `<prefix>-2`, …): letters, digits, `_` or `-`, starting with a
   * letter, at most 50 characters. Give each crash test a prefix of its own.
   */
  prefix: string;
  /** At least one; each is run undisturbed first, to learn which points it reaches. */
  scenarios: readonly CrashScenario<I>[];
  invariants: Invariant<I>;
  /**
   * Only these points (`CrashPoint`s or `saga/step/phase/moment` strings), each in the scenarios that reach it.
   * @defaultValue every point a scenario reaches
   */
  points?: readonly (CrashPoint | string)[];
  /**
   * Runs going on at once, each on its own prefix with its own worker processes. A run mostly waits for the
   * crashed worker's lock to expire, so more runs than cores pay off: on 2 cores, 4 at once took a third of the
   * time of one at a time. Worker boot is the CPU-bound part; lower it for workers that boot slowly.
   * @defaultValue 4
   */
  concurrency?: number;
  /**
   * How long one run may take, from its start to its saga's final status, before it counts as a violation.
   * @defaultValue 30000
   */
  runTimeoutMs?: number;
  /** See {@link RecoverySettings}. */
  recovery?: Partial<RecoverySettings>;
  /**
   * Keep each run's keys in Redis, to look into them, instead of deleting them.
   * @defaultValue false
   */
  keepKeys?: boolean;
  /** Told as each run ends, for progress output. */
  onRun?: (result: CrashRunResult) => void;
}
