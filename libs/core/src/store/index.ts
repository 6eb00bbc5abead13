export * from './saga-id';
export * from './saga-record';
export * from './transition';
export * from './saga-keys';
export * from './redis-saga-store';
export * from './saga-metrics';
