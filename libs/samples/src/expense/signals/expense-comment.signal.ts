import { Length } from 'class-validator';

/**
 * The payload of the signal `comment`: a remark anyone may add while the expense is open; the reimbursement lists
 * the comments received before it.
 * @publicApi
 */
export class ExpenseComment {
  @Length(1, 100)
  readonly author!: string;

  @Length(1, 500)
  readonly text!: string;
}
