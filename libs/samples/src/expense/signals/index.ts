export * from './expense-decision.signal';
export * from './expense-comment.signal';
