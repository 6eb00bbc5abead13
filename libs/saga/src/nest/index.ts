export * from './saga.tokens';
export * from './saga-module-options.interface';
export { SAGA_MODULE_OPTIONS } from './saga.module-definition';
export * from './saga.module';
export * from './saga-worker.module';
export * from './nest-saga-logger';
export * from './validate-environment';
export * from './saga-environment';
export * from './on-every-redis-ready';
