import type { ErrorInfo, SagaStatus } from '../store/saga-record';

/** The version of the lifecycle event schema; bumped on a change that is not an addition. @publicApi */
export const LIFECYCLE_SCHEMA_VERSION = 1;

/** @publicApi */
export const LIFECYCLE_EVENT_TYPES = [
  'saga.started',
  'saga.step.succeeded',
  'saga.step.failed',
  'saga.compensating',
  'saga.completed',
  'saga.compensated',
  'saga.compensation_failed',
] as const;
/** @publicApi */
export type LifecycleEventType = (typeof LIFECYCLE_EVENT_TYPES)[number];

/**
 * What a saga did, as the engine tells other services (through sinks) and Nest code (as an Observable). Written
 * to an outbox by the same Redis transition as the change it tells of, so none is lost and none tells of a change
 * that did not happen; delivered at least once, in order per saga: `id` lets a consumer drop a repeat.
 * @publicApi
 */
export interface SagaLifecycleEvent {
  /** {@link LIFECYCLE_SCHEMA_VERSION} when the event was written. */
  schemaVersion: number;
  /** Unique and increasing (the outbox stream's entry id, such as `1764090000000-0`). */
  id: string;
  type: LifecycleEventType;
  sagaId: string;
  /** The saga's name. */
  saga: string;
  /** The saga's status after the change. */
  status: SagaStatus;
  /** On step events: the step, and the attempt that succeeded or failed for good. */
  step?: string;
  attempt?: number;
  /** On `saga.step.failed` and `saga.compensation_failed`. */
  error?: ErrorInfo;
  /** When it happened: Redis server time, ISO 8601. */
  at: string;
}
