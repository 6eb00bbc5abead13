export * from './expense.input';
