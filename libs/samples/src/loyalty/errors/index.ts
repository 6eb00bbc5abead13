export * from './loyalty-error-codes';
export * from './award-voided.error';
