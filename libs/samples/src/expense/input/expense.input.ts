import { IsInt, Matches, Max, Min } from 'class-validator';

/** An expense id, an employee id: they end up in logs and ids, so they keep to a safe alphabet. */
const SAFE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Input of the expense saga: an expense an employee claims, which a manager approves or rejects by a signal.
 * @publicApi
 */
export class ExpenseInput {
  @Matches(SAFE_ID_PATTERN, { message: 'expenseId must be 1 to 64 letters, digits, "_" or "-"' })
  readonly expenseId!: string;

  @Matches(SAFE_ID_PATTERN, { message: 'employeeId must be 1 to 64 letters, digits, "_" or "-"' })
  readonly employeeId!: string;

  @IsInt()
  @Min(1)
  @Max(100_000_000)
  readonly amountCents!: number;
}
