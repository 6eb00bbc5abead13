export * from './input';
export * from './errors';
export * from './gateways';
export * from './steps';
export * from './transfer.saga';
export * from './transfer-saga.module';
