import { PermanentError } from '@sagaflow/core';

/**
 * Thrown by `reimburse` when the decision was a rejection: nothing is paid, and retrying cannot change that.
 * @publicApi
 */
export class ExpenseRejectedError extends PermanentError {
  override readonly code = 'EXPENSE.REJECTED';

  constructor(
    readonly expenseId: string,
    readonly approver: string,
  ) {
    super(`Expense "${expenseId}" was rejected by ${approver}; nothing is reimbursed.`);
  }
}
