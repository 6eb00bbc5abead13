export * from './debit-source.step';
export * from './credit-destination.step';
