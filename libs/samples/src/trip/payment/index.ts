export * from './agency-account';
export * from './trip-transfer';
