import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Matches, Max, Min } from 'class-validator';
import { SAFE_ID_PATTERN } from '../../transfer';

/** `POST /demo/accounts` */
export class OpenAccountRequest {
  @ApiProperty({ pattern: SAFE_ID_PATTERN.source, example: 'acct-carol' })
  @Matches(SAFE_ID_PATTERN, { message: 'id must be 1 to 64 letters, digits, "_" or "-"' })
  readonly id!: string;

  /** The cap keeps the bank's total far below `Number.MAX_SAFE_INTEGER`, even with thousands of accounts. */
  @ApiProperty({ minimum: 0, maximum: 1_000_000_000_000, example: 10_000 })
  @IsInt()
  @Min(0)
  @Max(1_000_000_000_000)
  readonly balanceCents!: number;
}
