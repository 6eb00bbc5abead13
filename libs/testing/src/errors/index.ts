export * from './crash-test-error-codes';
export * from './crash-test.error';
export * from './invalid-crash-test-options.error';
export * from './crash-test-violations.error';
