export * from './definition';
export * from './errors';
export * from './store';
export * from './runtime';
