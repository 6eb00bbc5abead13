// The engine, free of Nest. Layers, each importing only those before it (checked by dependency-cruiser):
// errors, definition, redis, store, queues, events, runtime, brokers.
export * from './errors';
export * from './definition';
export * from './redis';
export * from './store';
export * from './queues';
export * from './events';
export * from './runtime';
export * from './brokers';
