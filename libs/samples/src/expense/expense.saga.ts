import { defineSaga, durationSetting } from '@sagaflow/core';
import { ExpenseInput } from './input/expense.input';
import { ExpenseComment } from './signals/expense-comment.signal';
import { ExpenseDecision } from './signals/expense-decision.signal';
import { ReimburseStep } from './steps/reimburse.step';

/**
 * How long an expense waits for its decision before the saga gives up (and ends compensated). From the
 * environment variable `EXPENSE_DECISION_TIMEOUT` (such as `'7d'`); read once, when this module loads.
 * @defaultValue '7d'
 */
const DECISION_TIMEOUT = durationSetting('EXPENSE_DECISION_TIMEOUT', '7d', process.env);

/** Where an expense stands, as the query `progress` answers it. @publicApi */
export interface ExpenseProgress {
  expenseId: string;
  decision: 'pending' | 'approved' | 'rejected';
  approver: string | null;
  comments: number;
  reimbursed: boolean;
}

/**
 * An expense claim, the sample of signals and queries: it waits for the signal `decision`
 * (`POST /sagas/:id/signals/decision` `{ approver, approved }`), then reimburses an approved expense, listing the
 * `comment` signals received before. A decision sent before the saga reaches its wait is kept and taken there.
 * The query `progress` (`GET /sagas/:id/queries/progress`) tells where it stands.
 * @publicApi
 */
export const expenseSaga = defineSaga('expense', {
  version: 1,
  input: ExpenseInput,
  signals: { decision: ExpenseDecision, comment: ExpenseComment },
})
  .waitForSignal('awaitDecision', { signal: 'decision', timeout: DECISION_TIMEOUT })
  .step('reimburse', ReimburseStep, { timeout: '5s', retry: { attempts: 3, backoff: '200ms' } })
  .query('progress', ({ input, outputs, signals }): ExpenseProgress => ({
    expenseId: input.expenseId,
    decision: outputs.awaitDecision ? (outputs.awaitDecision.approved ? 'approved' : 'rejected') : 'pending',
    approver: outputs.awaitDecision?.approver ?? null,
    comments: signals.comment.length,
    reimbursed: outputs.reimburse !== undefined,
  }))
  .build();
