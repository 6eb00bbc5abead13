export * from './expense-rejected.error';
