export * from './redis-stream-event-source';
export * from './redis-stream-event-sink';
