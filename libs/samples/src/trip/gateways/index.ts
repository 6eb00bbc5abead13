export * from './travel.types';
export * from './demo-travel';
export * from './fault-triggers';
export * from './travel.gateway';
// travel-keys stays out: the key layout is the gateway's internal.
