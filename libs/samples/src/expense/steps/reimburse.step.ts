import { Injectable, Logger } from '@nestjs/common';
import type { SagaData, SagaStep, StepContext } from '@sagaflow/core';
import { ExpenseRejectedError } from '../errors/expense-rejected.error';
import type { ExpenseInput } from '../input/expense.input';
import type { ExpenseComment } from '../signals/expense-comment.signal';
import type { ExpenseDecision } from '../signals/expense-decision.signal';

/** What `reimburse` receives: the input and the decision the wait took. @publicApi */
export type ReimburseData = SagaData<ExpenseInput, { awaitDecision: ExpenseDecision }>;

/** What `reimburse` returns: the payment, with who approved it and the comments received before it. @publicApi */
export interface Reimbursement {
  reimbursementId: string;
  amountCents: number;
  approvedBy: string;
  comments: string[];
}

/**
 * Pays an approved expense back, listing the comments the saga received before it (its `comment` signals, in
 * `ctx.signals`); a rejected one fails for good, and the saga ends compensated with nothing to undo.
 * @publicApi
 */
@Injectable()
export class ReimburseStep implements SagaStep<ReimburseData, Reimbursement> {
  private readonly logger = new Logger(ReimburseStep.name);

  async run({ input, outputs }: ReimburseData, ctx: StepContext<{ comment: ExpenseComment }>): Promise<Reimbursement> {
    const { approver, approved } = outputs.awaitDecision;
    if (!approved) throw new ExpenseRejectedError(input.expenseId, approver);
    const comments = ctx.signals.comment.map(({ payload }) => `${payload.author}: ${payload.text}`);
    this.logger.log({ message: 'Expense reimbursed', sagaId: ctx.sagaId, expenseId: input.expenseId, approver });
    // The idempotency key is the same on every attempt: a payment system would take it to pay once.
    return {
      reimbursementId: `rb-${ctx.idempotencyKey}`,
      amountCents: input.amountCents,
      approvedBy: approver,
      comments,
    };
  }
}
