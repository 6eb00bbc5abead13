/** @publicApi */
export const SAGA_STATUSES = [
  'queued',
  'running',
  'waiting',
  'completed',
  'compensating',
  'compensated',
  'compensation_failed',
] as const;
/** @publicApi */
export type SagaStatus = (typeof SAGA_STATUSES)[number];

/**
 * `retrying`: an attempt failed and another is scheduled. `waiting`: a wait or sleep step waits for its event
 * or timer. `cancelled`: the saga was cancelled while the step was waiting, or the step of a parallel group had not
 * begun when the saga was cancelled or a step beside it failed for good (`step.stopped` in the history).
 * `skipped`: its `when` did not hold.
 * @publicApi
 */
export const STEP_STATUSES = [
  'pending',
  'running',
  'retrying',
  'waiting',
  'cancelled',
  'skipped',
  'succeeded',
  'failed',
  'compensating',
  'compensated',
  'compensation_failed',
] as const;
/** @publicApi */
export type StepStatus = (typeof STEP_STATUSES)[number];

/** An error as persisted: what crosses a process boundary. @publicApi */
export interface ErrorInfo {
  name: string;
  message: string;
  code?: string;
}

/** @publicApi */
export interface StepRecord {
  name: string;
  status: StepStatus;
  attempts: number;
  startedAt?: string;
  finishedAt?: string;
  output?: unknown;
  error?: ErrorInfo;
  /**
   * On a wait or sleep step: what it waits (or waited) for, until when, and the event (or the seq of the signal)
   * that ended it.
   */
  wait?: WaitInfo & { eventId?: string; seq?: number };
  compensation?: {
    attempts: number;
    startedAt?: string;
    finishedAt?: string;
    error?: ErrorInfo;
  };
}

/**
 * What a waiting step waits for: an event of a type and key, or a signal (neither for a sleep), until a deadline.
 * @publicApi
 */
export interface WaitInfo {
  event?: string;
  key?: string;
  signal?: string;
  until: string;
}

/** A signal a saga received, as its record lists it. @publicApi */
export interface SignalRecord {
  /** Its place among the saga's signals, all names together, from 1. */
  seq: number;
  name: string;
  at: string;
  payload: unknown;
}

/** The kinds of history entries. @publicApi */
export const HISTORY_ENTRY_TYPES = [
  'saga.started',
  'saga.queued',
  'saga.admitted',
  'step.started',
  'step.succeeded',
  'step.failed',
  'step.waiting',
  'step.skipped',
  'step.stopped',
  'step.timed_out',
  'event.received',
  'signal.received',
  'saga.compensating',
  'compensation.started',
  'compensation.succeeded',
  'compensation.failed',
  'saga.completed',
  'saga.compensated',
  'saga.compensation_failed',
  'saga.retried',
  'saga.resolved',
  'saga.cancelled',
] as const;

/** The saga and step that started a child saga. @publicApi */
export interface SagaParent {
  id: string;
  step: string;
}

/** One line of a saga's history. @publicApi */
export interface HistoryEntry {
  at: string;
  type: (typeof HISTORY_ENTRY_TYPES)[number];
  step?: string;
  attempt?: number;
  error?: ErrorInfo;
  /** On a failure: whether another attempt follows. */
  willRetry?: boolean;
  /** An operator's note, on `saga.retried` and `saga.resolved`; the reason, on `saga.cancelled`. */
  note?: string;
  /** On `step.waiting` and `event.received`: the event type, and on `step.waiting` its key and deadline. */
  event?: string;
  key?: string;
  until?: string;
  /** On `event.received`: the id of the event that ended the wait. */
  eventId?: string;
  /**
   * On `signal.received`, on `step.waiting` of a wait for a signal, and on the `step.succeeded` of a wait a signal
   * ended: the signal's name, and (but on `step.waiting`) its seq.
   */
  signal?: string;
  seq?: number;
}

/** A saga as listed. @publicApi */
export interface SagaSummary {
  id: string;
  name: string;
  version: number;
  status: SagaStatus;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
  /** Set when the reading process does not have the saga's definition version: its steps wait for one that has. */
  attention?: { reason: string };
}

/** A saga with its steps and history. @publicApi */
export interface SagaRecord extends SagaSummary {
  input: unknown;
  /** The failure that turned the saga to compensation. */
  error?: ErrorInfo & { step: string };
  /** While the saga is `waiting`: the step and what it waits for. */
  waitingFor?: WaitInfo & { step: string };
  /** Set when the saga was cancelled. */
  cancellation?: { reason?: string; requestedAt: string };
  /** Set on a child saga: the saga and step that started it. */
  parent?: SagaParent;
  /** The tags it was started with (`{ customerId: 'c-1' }`), to find it by. */
  tags?: Readonly<Record<string, string>>;
  /** Set on a rerun: the saga whose input it was started with. */
  rerunOf?: string;
  /**
   * Set on a saga of a definition with a concurrency limit: its key, and when it took a slot (at its start, or when
   * an earlier saga of the key ended; absent while `queued`).
   */
  concurrency?: { key: string; limit: number; admittedAt?: string };
  /** The signals it received, oldest first; absent when none. */
  signals?: SignalRecord[];
  steps: StepRecord[];
  history: HistoryEntry[];
}

/** One page of a listing, newest first; pass `nextCursor` back to get the next page. @publicApi */
export interface SagaPage {
  items: SagaSummary[];
  nextCursor?: string;
}
