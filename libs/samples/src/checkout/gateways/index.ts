export * from './stock-item';
export * from './demo-stock';
export * from './test-cards';
export * from './inventory.types';
export * from './payment.types';
export * from './shipping.types';
export * from './inventory.gateway';
export * from './payment.gateway';
export * from './shipping.gateway';
// demo-keys, script-reply and normalize-items stay out: key layout and script replies are the gateways' internals.
