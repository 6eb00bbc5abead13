import { IsInt, Matches, Max, Min } from 'class-validator';
import { MEMBER_ID_PATTERN } from './member-id';
import { SAFE_ID_PATTERN } from './safe-id';

/**
 * Input of the loyalty saga, validated by the engine before anything is written.
 * @publicApi
 */
export class LoyaltyInput {
  /** The order the points are for. */
  @Matches(SAFE_ID_PATTERN, { message: 'orderId must be 1 to 64 letters, digits, "_" or "-"' })
  readonly orderId!: string;

  @Matches(MEMBER_ID_PATTERN, { message: 'memberId must be "M-" followed by 3 to 12 digits, such as "M-1001"' })
  readonly memberId!: string;

  /** Points to award once the return window has passed; the cap matches the most an order can earn. */
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  readonly points!: number;
}
