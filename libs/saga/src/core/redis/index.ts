export * from './guard-redis';
export * from './lua-scripts';
