export * from './definition';
export * from './errors';
export * from './redis';
export * from './store';
export * from './runtime';
export * from './events';
export * from './brokers';
