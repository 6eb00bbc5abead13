import { IsBoolean, Length } from 'class-validator';

/**
 * The payload of the signal `decision`: a manager's approval or rejection, which ends the saga's wait.
 * @publicApi
 */
export class ExpenseDecision {
  @Length(1, 100)
  readonly approver!: string;

  @IsBoolean()
  readonly approved!: boolean;
}
