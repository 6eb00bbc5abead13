export * from './definition';
export * from './errors';
export * from './store';
