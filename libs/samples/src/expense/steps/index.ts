export * from './reimburse.step';
