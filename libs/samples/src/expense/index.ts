export * from './input';
export * from './signals';
export * from './errors';
export * from './steps';
export * from './expense.saga';
export * from './expense-saga.module';
