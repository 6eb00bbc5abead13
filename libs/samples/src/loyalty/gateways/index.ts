export * from './loyalty.types';
export * from './loyalty.gateway';
// loyalty-keys stays out: the key layout is the gateway's internal.
