export * from './rabbitmq-event-source';
export * from './rabbitmq-event-source-options';
export * from './rabbitmq-event-sink';
export * from './rabbitmq-event-sink-options';
export * from './message-event-id';
export { REASON_HEADER } from './dead-letter-properties';
// Internals, on purpose not exported: amqp-connection, backoff-delay, rabbitmq-option-checks, and
// deadLetterProperties (the header names are the contract, not the function that writes them).
