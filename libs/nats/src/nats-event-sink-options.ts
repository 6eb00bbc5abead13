import type { Duration, SagaLogger } from '@sagaflow/core';
import type { NatsConnectionOptions } from './nats-connection';
import { check } from './nats-names';

/**
 * Where a {@link NatsEventSink} publishes lifecycle events: one subject per event type under a prefix, captured
 * by a stream it creates when missing.
 * @publicApi
 */
export interface NatsEventSinkOptions extends NatsConnectionOptions {
  /**
   * The stream that keeps the lifecycle events; created when missing with the subjects `<subjectPrefix>.>`, and an
   * existing one gets them when it does not capture them yet.
   * @defaultValue `'SAGAFLOW_LIFECYCLE'`
   */
  stream?: string;
  /**
   * Events go to `<subjectPrefix>.<type>`, such as `sagaflow.lifecycle.saga.step.succeeded`; subscribe to
   * `sagaflow.lifecycle.>` for all, or `sagaflow.lifecycle.saga.completed` for one kind.
   * @defaultValue `'sagaflow.lifecycle'`
   */
  subjectPrefix?: string;
  /**
   * How long JetStream remembers an event id to drop a second publish of it (an outbox retry after a lost ack).
   * Applied when the sink creates the stream.
   * @defaultValue `'2m'`
   */
  duplicateWindow?: Duration;
  /**
   * How long the stream keeps events; applied when the sink creates the stream.
   * @defaultValue kept until removed
   */
  maxAge?: Duration;
  /**
   * How long one publish waits for JetStream's ack before `publish()` rejects (and the outbox tries again).
   * @defaultValue `'5s'`
   */
  publishTimeout?: Duration;
  /** @defaultValue no logging */
  logger?: SagaLogger;
}

/** The options with their defaults, checked. */
export interface ResolvedNatsEventSinkOptions {
  stream: string;
  subjectPrefix: string;
  duplicateWindowMs: number;
  maxAgeMs?: number;
  publishTimeoutMs: number;
}

/** Fills in the defaults and checks every option, naming the first that is wrong (a {@link NatsOptionsInvalidError}). */
export function resolveNatsEventSinkOptions(options: NatsEventSinkOptions = {}): ResolvedNatsEventSinkOptions {
  return {
    stream: check.name('stream', options.stream ?? 'SAGAFLOW_LIFECYCLE'),
    subjectPrefix: check.subject('subjectPrefix', options.subjectPrefix ?? 'sagaflow.lifecycle', false),
    duplicateWindowMs: check.duration('duplicateWindow', options.duplicateWindow ?? '2m'),
    maxAgeMs: options.maxAge === undefined ? undefined : check.duration('maxAge', options.maxAge),
    publishTimeoutMs: check.duration('publishTimeout', options.publishTimeout ?? '5s'),
  };
}
