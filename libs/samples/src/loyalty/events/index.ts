export * from './order-placed.event';
