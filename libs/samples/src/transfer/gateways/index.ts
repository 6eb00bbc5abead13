export * from './bank.types';
export * from './demo-accounts';
export * from './fault-triggers';
export * from './bank.gateway';
// bank-keys stays out: the key layout is the gateway's internal.
