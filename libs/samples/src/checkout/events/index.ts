export * from './order-placed.event';
export * from './shipment-delivered.event';
