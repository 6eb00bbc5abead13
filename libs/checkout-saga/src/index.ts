export * from './input';
export * from './errors';
export * from './gateways';
export * from './steps';
export * from './checkout.saga';
export * from './checkout-saga.module';
