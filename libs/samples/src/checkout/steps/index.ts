export * from './reserve-inventory.step';
export * from './charge-payment.step';
export * from './ship-order.step';
