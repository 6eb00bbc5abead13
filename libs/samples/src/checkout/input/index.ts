export * from './order-item.input';
export * from './payment.input';
export * from './shipping-address.input';
export * from './checkout.input';
// safe-id stays out: a validation detail of the inputs, not part of the sample's API.
