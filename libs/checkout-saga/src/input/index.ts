export * from './order-item.input';
export * from './payment.input';
export * from './shipping-address.input';
export * from './checkout.input';
