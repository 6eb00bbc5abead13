export * from './saga.tokens';
export * from './saga-module-options.interface';
