import type { SagaStatus } from './saga-record';

/** The two phases a step goes through: its run, and, if a later step fails for good, its compensation. */
export type Phase = 'run' | 'compensate';

/**
 * Where a saga stands: the one step run or compensation that may move it on (for a parallel group, its first
 * step, the group's steps running at once). `phase` is empty once the saga is finished and `parked` while it
 * waits for an operator; no job matches either. `join`, only in a transition's result, never stored: the job's
 * step of a parallel group has settled, and the jobs of the group's other steps move the saga on.
 */
export interface SagaCursor {
  status: SagaStatus;
  phase: Phase | '' | 'parked' | 'join';
  index?: number;
  /** Bumped when an operator re-drives a saga, so that jobs of an earlier round are fenced off. */
  gen: number;
}

/** The cursor a job was created for: the fence its transitions must match. */
export interface StepJobRef {
  sagaId: string;
  phase: Phase;
  index: number;
  gen: number;
}

/**
 * What a transition did. `stale`: the saga had moved on (the job is a duplicate, or late), nothing changed.
 * `missing`: no such saga.
 */
export type Transition =
  | { outcome: 'applied'; cursor: SagaCursor; next?: AttemptData; nextJob?: BegunJob }
  | { outcome: 'stale'; cursor: SagaCursor }
  | { outcome: 'missing' };

/** A failed attempt's transition; `final`: the attempt was taken as the last, and no retry follows. */
export type FailTransition =
  (Extract<Transition, { outcome: 'applied' }> & { final: boolean }) | Exclude<Transition, { outcome: 'applied' }>;

/** Parking a saga at a wait: with `until` (Redis time in ms) when it now waits, without when it was cancelled. */
export type ParkTransition =
  | (Extract<Transition, { outcome: 'applied' }> & { until?: number; now?: number })
  | Exclude<Transition, { outcome: 'applied' }>;

/** What a start did: `created` the saga, running or queued behind its concurrency key, or found an `existing` one. */
export type StartOutcome =
  { outcome: 'created'; sagaId: string; status: 'running' | 'queued' } | { outcome: 'existing'; sagaId: string };

/**
 * What a cancellation did: `applied` (the cursor is compensation's, or still the running step when it is in
 * flight; `stoppedWait` is the wait or sleep it stopped, with the event and key a wait waited for), `conflict` (finished or compensating), `past-pivot` (a step
 * without compensation has run), or `missing`.
 */
export type CancelOutcome =
  | { outcome: 'applied'; cursor: SagaCursor; stoppedWait?: { index: number; event?: string; key?: string } }
  | { outcome: 'conflict'; status: SagaStatus }
  | { outcome: 'past-pivot'; status: SagaStatus; step: string }
  | { outcome: 'missing' };

/** What an attempt works on: the saga's input and the outputs of the steps before it (by index). */
export interface AttemptData {
  input: unknown;
  outputs: unknown[];
  /** The trace context stored with the saga when it started traced: its attempts' spans are its children. */
  trace?: TraceCarrier;
}

/**
 * A trace context as headers carry it (W3C `traceparent` and `tracestate`, or whatever the registered
 * OpenTelemetry propagator reads and writes).
 * @publicApi
 */
export type TraceCarrier = Readonly<Record<string, string | string[] | undefined>>;

/**
 * A job whose first attempt a transition has begun ahead of it: the job BullMQ is expected to hand the worker next
 * (see `RedisSagaStore.complete`), and what its begin would have returned.
 */
export interface BegunJob {
  jobId: string;
  data: AttemptData;
}

/** The result of beginning an attempt: the data it works on, or why it must not run. */
export type BeginResult = ({ outcome: 'ready' } & AttemptData) | Exclude<Transition, { outcome: 'applied' }>;

/** The result of an operator action: applied, no such saga, or refused because of the saga's status. */
export type OperatorOutcome =
  { outcome: 'applied'; cursor: SagaCursor } | { outcome: 'missing' } | { outcome: 'conflict'; status: SagaStatus };

/** A saga's name, version and cursor: enough to find its definition and act on it. */
export interface SagaHead {
  name: string;
  version: number;
  cursor: SagaCursor;
}

/** What the sweeper needs to know of an active saga. */
export interface ActiveSaga {
  sagaId: string;
  name: string;
  version: number;
  cursor: SagaCursor;
  /** Redis time in ms of the saga's last transition. */
  updatedAt: number;
  /** While the saga waits: Redis time in ms when its timer is due. */
  waitUntil?: number;
  /** The job that began the current attempt; it may hold the saga beyond its own step. */
  holder?: string;
}

/**
 * What removing an ended saga did: removed it, or `skipped` it (not due yet, gone already, or no longer ended), in
 * which case nothing was removed and it left the removal schedule unless it was not due.
 */
export type RemoveOutcome = { outcome: 'removed'; name: string } | { outcome: 'skipped' };

/**
 * What sending a signal did: `applied` (its seq, the saga's cursor after it, and `endedWait`, the step whose wait it
 * ended, if any), `replay` (its idempotency key sent the same signal before, whose seq this is), `key-conflict`
 * (the key sent another signal or payload), `conflict` (the saga's status takes no signals), or `missing`.
 */
export type SignalOutcome =
  | { outcome: 'applied'; seq: number; cursor: SagaCursor; endedWait?: number }
  | { outcome: 'replay' | 'key-conflict'; seq: number }
  | { outcome: 'conflict'; status: SagaStatus }
  | { outcome: 'missing' };
