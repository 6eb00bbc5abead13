export * from './transfer-error-codes';
export * from './unknown-account.error';
export * from './insufficient-funds.error';
export * from './account-closed.error';
export * from './account-frozen.error';
export * from './bank-unavailable.error';
export * from './operation-mismatch.error';
export * from './operation-voided.error';
