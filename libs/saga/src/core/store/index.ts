export * from './saga-record';
export * from './transition';
export * from './saga-keys';
export * from './redis-saga-store';
