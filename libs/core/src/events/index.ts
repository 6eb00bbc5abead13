export * from './saga-event';
export * from './event-inbox';
export * from './event-router';
