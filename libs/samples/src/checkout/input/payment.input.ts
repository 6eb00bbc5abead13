import { IsString, Matches } from 'class-validator';

/** How the order is paid. @publicApi */
export class PaymentInput {
  /** 12 to 19 digits, no spaces. See `TEST_CARDS` for the numbers that make the demo processor misbehave. */
  @IsString()
  @Matches(/^\d{12,19}$/, { message: 'cardNumber must be 12 to 19 digits' })
  readonly cardNumber!: string;
}
