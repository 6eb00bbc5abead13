import { IsInt, IsNotEmpty, IsString, Max, MaxLength, Min } from 'class-validator';

/** One line of an order. @publicApi */
export class OrderItemInput {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  readonly sku!: string;

  /** Units ordered; the cap keeps totals far below `Number.MAX_SAFE_INTEGER`. */
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  readonly quantity!: number;

  /** Price of one unit, in cents. */
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  readonly priceCents!: number;
}
