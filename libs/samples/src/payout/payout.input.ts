import { IsInt, Matches, Max, Min } from 'class-validator';
import { SAFE_ID_PATTERN } from '../transfer/input/safe-id';

/**
 * Input of the payout saga.
 * @publicApi
 */
export class PayoutInput {
  @Matches(SAFE_ID_PATTERN, { message: 'payoutId must be 1 to 64 letters, digits, "_" or "-"' })
  readonly payoutId!: string;

  /** Payouts of one merchant run one at a time (the saga's concurrency key). A `slow-…` merchant's take 1.5 s. */
  @Matches(SAFE_ID_PATTERN, { message: 'merchantId must be 1 to 64 letters, digits, "_" or "-"' })
  readonly merchantId!: string;

  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  readonly amountCents!: number;
}
