export * from './payout.input';
export * from './payout-rail';
export * from './send-payout.step';
export * from './payout.saga';
export * from './payout-saga.module';
