import type { PublishResult } from '../events/saga-event';

/**
 * Hands one message's body to the engine: parses it as an event (`{ id?, type, key?, payload? }`) and publishes
 * it. Resolves once the event is durably recorded (then, and only then, acknowledge the message). Rejects with
 * {@link EventInvalidError} when the body is not a valid event: dead-letter the message with the error's message,
 * do not redeliver it. Any other rejection (Redis unreachable) means "not recorded": let the broker redeliver.
 * A message without an `id` should be given one from the broker (its message id), so that a redelivery is harmless.
 * `header` reads the message's headers, where a W3C trace context (`traceparent`, `tracestate`) rides: the sagas the
 * event starts continue that trace.
 * @publicApi
 */
export type EventHandler = (body: unknown, fallbackId: string, header?: MessageHeader) => Promise<PublishResult>;

/** A message header's value by name, as text, or `undefined` when the message has none of that name. @publicApi */
export type MessageHeader = (name: string) => string | undefined;

/**
 * Where events that start and resume sagas come from: a broker consumed by the worker processes. One small
 * adapter per broker behind this interface.
 * @publicApi
 */
export interface EventSource {
  /** For logs and health, such as `rabbitmq`. */
  readonly name: string;
  /** Connects, declares what it consumes from, and starts handing messages to `handle`. */
  start(handle: EventHandler): Promise<void>;
  /** Stops consuming; messages in flight are finished (acknowledged or left to redelivery) before it resolves. */
  stop(): Promise<void>;
}
