export * from './step-job';
export * from './saga-queues';
export * from './step-dispatcher';
