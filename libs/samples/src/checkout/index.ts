export * from './input';
export * from './events';
export * from './errors';
export * from './gateways';
export * from './steps';
export * from './checkout.saga';
export * from './checkout-saga.module';
// config stays out: how the sample reads its settings, not part of its API.
