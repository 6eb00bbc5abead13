/** @publicApi */
export const SAGA_STATUSES = ['running', 'completed', 'compensating', 'compensated', 'compensation_failed'] as const;
/** @publicApi */
export type SagaStatus = (typeof SAGA_STATUSES)[number];

/** `retrying`: an attempt failed and another is scheduled. @publicApi */
export const STEP_STATUSES = [
  'pending',
  'running',
  'retrying',
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
  compensation?: {
    attempts: number;
    startedAt?: string;
    finishedAt?: string;
    error?: ErrorInfo;
  };
}

/** One line of a saga's history. @publicApi */
export interface HistoryEntry {
  at: string;
  type:
    | 'saga.started'
    | 'step.started'
    | 'step.succeeded'
    | 'step.failed'
    | 'saga.compensating'
    | 'compensation.started'
    | 'compensation.succeeded'
    | 'compensation.failed'
    | 'saga.completed'
    | 'saga.compensated'
    | 'saga.compensation_failed'
    | 'saga.retried'
    | 'saga.resolved';
  step?: string;
  attempt?: number;
  error?: ErrorInfo;
  /** On a failure: whether another attempt follows. */
  willRetry?: boolean;
  /** An operator's note, on `saga.retried` and `saga.resolved`. */
  note?: string;
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
}

/** A saga with its steps and history. @publicApi */
export interface SagaRecord extends SagaSummary {
  input: unknown;
  /** The failure that turned the saga to compensation. */
  error?: ErrorInfo & { step: string };
  steps: StepRecord[];
  history: HistoryEntry[];
}

/** One page of a listing, newest first; pass `nextCursor` back to get the next page. @publicApi */
export interface SagaPage {
  items: SagaSummary[];
  nextCursor?: string;
}
