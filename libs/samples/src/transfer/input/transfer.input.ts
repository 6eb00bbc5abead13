import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { DiffersFrom } from './differs-from.decorator';
import { SAFE_ID_PATTERN } from './safe-id';

/**
 * Input of the transfer saga, validated by the engine before anything is written.
 * @publicApi
 */
export class TransferInput {
  @Matches(SAFE_ID_PATTERN, { message: 'transferId must be 1 to 64 letters, digits, "_" or "-"' })
  readonly transferId!: string;

  @Matches(SAFE_ID_PATTERN, { message: 'fromAccount must be 1 to 64 letters, digits, "_" or "-"' })
  readonly fromAccount!: string;

  /** See `FAULT_TRIGGERS` for the accounts that make the demo bank misbehave. */
  @Matches(SAFE_ID_PATTERN, { message: 'toAccount must be 1 to 64 letters, digits, "_" or "-"' })
  @DiffersFrom('fromAccount', { message: 'toAccount must differ from fromAccount' })
  readonly toAccount!: string;

  /** The cap keeps any sum of transfers far below `Number.MAX_SAFE_INTEGER`. */
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  readonly amountCents!: number;

  /** Shown to both account holders. `'poison'` makes the demo bank refuse every credit (see `FAULT_TRIGGERS`). */
  @IsOptional()
  @IsString()
  @MaxLength(140)
  readonly reference?: string;
}
