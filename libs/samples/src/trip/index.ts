export * from './input';
export * from './errors';
export * from './gateways';
export * from './payment';
export * from './steps';
export * from './trip.saga';
export * from './trip-saga.module';
