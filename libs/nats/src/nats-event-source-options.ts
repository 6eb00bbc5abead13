import type { Duration, SagaLogger } from '@sagaflow/core';
import type { NatsConnectionOptions } from './nats-connection';
import { NatsOptionsInvalidError } from './nats-options-invalid.error';
import { check } from './nats-names';
import { coveredByAny } from './nats-subjects';

/**
 * Where a {@link NatsEventSource} consumes events from, and how it treats a message it cannot record.
 * Every JetStream object named here is created when missing, and brought to these settings when present.
 * @publicApi
 */
export interface NatsEventSourceOptions extends NatsConnectionOptions {
  /**
   * The stream that holds the events. Created with {@link subjects} when missing; an existing one gets any of them
   * it does not capture yet.
   * @defaultValue `'SAGAFLOW_EVENTS'`
   */
  stream?: string;
  /**
   * The subjects events are published on (wildcards allowed). The message body is the event
   * (`{ id?, type, key?, payload? }`); the subject only routes it.
   * @defaultValue `['sagaflow.events.>']`
   */
  subjects?: readonly string[];
  /**
   * The durable pull consumer, shared by every worker process: each message goes to one of them.
   * @defaultValue `'sagaflow-engine'`
   */
  durable?: string;
  /**
   * How long the server waits for a message's acknowledgement before it delivers the message again (to any
   * worker): longer than recording an event takes, even with Redis slow.
   * @defaultValue `'30s'`
   */
  ackWait?: Duration;
  /**
   * How many times a message is delivered at most; -1 for no limit. A message not recorded by its last
   * delivery (Redis down all along) is dead-lettered with the last error, rather than left behind unseen.
   * @defaultValue `-1` (an event is never given up while Redis is away)
   */
  maxDeliver?: number;
  /**
   * Where a message that is not a valid event goes, with the reason in the `Sagaflow-Dead-Letter-Reason`
   * header. A subject without wildcards that none of {@link subjects} covers.
   * @defaultValue `'sagaflow.dead-letter.events'`
   */
  deadLetterSubject?: string;
  /**
   * The stream that keeps dead-lettered messages, created when missing.
   * @defaultValue `` `${stream}_DEAD_LETTER` ``
   */
  deadLetterStream?: string;
  /**
   * The wait before a message that could not be recorded is delivered again; it doubles with each delivery, up
   * to {@link maxRetryDelay}.
   * @defaultValue `'1s'`
   */
  retryDelay?: Duration;
  /** @defaultValue `'30s'` */
  maxRetryDelay?: Duration;
  /**
   * How many messages are handled at once. Above 1, events are no longer recorded in the order of the stream.
   * @defaultValue `1`
   */
  concurrency?: number;
  /** @defaultValue no logging */
  logger?: SagaLogger;
}

/** The options with their defaults, checked. */
export interface ResolvedNatsEventSourceOptions {
  stream: string;
  subjects: string[];
  durable: string;
  ackWaitMs: number;
  maxDeliver: number;
  deadLetterSubject: string;
  deadLetterStream: string;
  retryDelayMs: number;
  maxRetryDelayMs: number;
  concurrency: number;
}

/** Fills in the defaults and checks every option, naming the first that is wrong (a {@link NatsOptionsInvalidError}). */
export function resolveNatsEventSourceOptions(options: NatsEventSourceOptions = {}): ResolvedNatsEventSourceOptions {
  const stream = check.name('stream', options.stream ?? 'SAGAFLOW_EVENTS');
  const subjects = options.subjects ?? ['sagaflow.events.>'];
  if (subjects.length === 0) throw new NatsOptionsInvalidError('subjects', 'must name at least one subject');
  subjects.forEach((subject) => check.subject('subjects', subject, true));
  const deadLetterSubject = check.subject(
    'deadLetterSubject',
    options.deadLetterSubject ?? 'sagaflow.dead-letter.events',
    false,
  );
  if (coveredByAny(subjects, deadLetterSubject)) {
    // It would land in the events stream too, and come back to the consumer that refused it.
    throw new NatsOptionsInvalidError(
      'deadLetterSubject',
      `must not be one of the event subjects (${subjects.join(', ')})`,
    );
  }
  const deadLetterStream = check.name('deadLetterStream', options.deadLetterStream ?? `${stream}_DEAD_LETTER`);
  if (deadLetterStream === stream) throw new NatsOptionsInvalidError('deadLetterStream', 'must differ from stream');
  const maxDeliver = options.maxDeliver ?? -1;
  if (maxDeliver !== -1) check.integer('maxDeliver', maxDeliver, 1);
  const retryDelayMs = check.duration('retryDelay', options.retryDelay ?? '1s', { min: 0 });
  const maxRetryDelayMs = check.duration('maxRetryDelay', options.maxRetryDelay ?? '30s', { min: 0 });
  if (maxRetryDelayMs < retryDelayMs)
    throw new NatsOptionsInvalidError('maxRetryDelay', 'must not be below retryDelay');
  return {
    stream,
    subjects: [...subjects],
    durable: check.name('durable', options.durable ?? 'sagaflow-engine'),
    ackWaitMs: check.duration('ackWait', options.ackWait ?? '30s'),
    maxDeliver,
    deadLetterSubject,
    deadLetterStream,
    retryDelayMs,
    maxRetryDelayMs,
    concurrency: check.integer('concurrency', options.concurrency ?? 1, 1),
  };
}
