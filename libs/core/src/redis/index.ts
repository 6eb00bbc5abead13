export * from './guard-redis';
export * from './lua-scripts';
export * from './durability-warnings';
export * from './cluster';
