export * from './saga-lifecycle-event';
export * from './event-source';
export * from './event-sink';
export * from './event-handler';
export * from './lifecycle-outbox';
export * from './lifecycle-relay';
export * from './lifecycle-feed';
export * from './redis-streams';
