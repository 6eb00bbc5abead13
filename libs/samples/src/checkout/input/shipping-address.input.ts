import { IsISO31661Alpha2, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';

/** Where the order is shipped. @publicApi */
export class ShippingAddressInput {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  readonly line1!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  readonly city!: string;

  /** ISO 3166-1 alpha-2, upper case (`DE`, `US`); the validator alone would also accept `de`. */
  @IsISO31661Alpha2()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be two upper-case letters' })
  readonly country!: string;
}
