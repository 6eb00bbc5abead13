export * from './nats-connection';
export * from './nats-event-source-options';
export * from './nats-event-source';
export * from './nats-event-sink-options';
export * from './nats-event-sink';
export * from './nats-options-invalid.error';
export * from './nats-unreachable.error';
export { NatsDeadLetterHeaders, natsFallbackEventId, type StreamPosition } from './nats-delivery';
// nats-client, nats-streams, nats-names and settle-nats-message are internals of the two adapters.
