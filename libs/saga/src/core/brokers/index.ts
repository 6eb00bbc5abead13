export * from './saga-lifecycle-event';
export * from './event-source';
export * from './event-sink';
export * from './event-handler';
