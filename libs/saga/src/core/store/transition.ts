import type { SagaStatus } from './saga-record';

/** The two phases a step goes through: its run, and, if a later step fails for good, its compensation. */
export type Phase = 'run' | 'compensate';

/**
 * Where a saga stands: the one step run or compensation that may move it on. `phase` is empty once the saga is
 * finished and `parked` while it waits for an operator; no job matches either.
 */
export interface SagaCursor {
  status: SagaStatus;
  phase: Phase | '' | 'parked';
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
  | { outcome: 'applied'; cursor: SagaCursor; next?: AttemptData }
  | { outcome: 'stale'; cursor: SagaCursor }
  | { outcome: 'missing' };

/** What an attempt works on: the saga's input and the outputs of the steps before it (by index). */
export interface AttemptData {
  input: unknown;
  outputs: unknown[];
}

/** The result of beginning an attempt: the data it works on, or why it must not run. */
export type BeginResult = ({ outcome: 'ready' } & AttemptData) | Exclude<Transition, { outcome: 'applied' }>;

/** The result of an operator action: applied, no such saga, or refused because of the saga's status. */
export type OperatorOutcome =
  { outcome: 'applied'; cursor: SagaCursor } | { outcome: 'missing' } | { outcome: 'conflict'; status: SagaStatus };

/** What the sweeper needs to know of an active saga. */
export interface ActiveSaga {
  sagaId: string;
  name: string;
  version: number;
  cursor: SagaCursor;
  /** Redis time in ms of the saga's last transition. */
  updatedAt: number;
  /** The job that began the current attempt; it may hold the saga beyond its own step. */
  holder?: string;
}
