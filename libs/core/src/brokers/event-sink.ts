import type { SagaLifecycleEvent } from './saga-lifecycle-event';

/**
 * Where the engine publishes saga lifecycle events for other services: a broker. One small adapter per broker.
 * @publicApi
 */
export interface EventSink {
  /** For logs and health, such as `nats`. */
  readonly name: string;
  /** Connects and declares where it publishes to. */
  start(): Promise<void>;
  /**
   * Publishes the events, in order, and resolves once the broker has confirmed every one (a publisher confirm, a
   * JetStream ack): only then are they taken off the outbox. A rejection leaves them there, to be published again.
   */
  publish(events: readonly SagaLifecycleEvent[]): Promise<void>;
  close(): Promise<void>;
}
