// `@Type` reads design metadata as the class is declared, so this file must not depend on who loaded it first.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject, Matches, ValidateNested } from 'class-validator';
import { OrderItemInput } from './order-item.input';
import { PaymentInput } from './payment.input';
import { SAFE_ID_PATTERN } from './safe-id';
import { ShippingAddressInput } from './shipping-address.input';

/**
 * Input of the checkout saga, validated by the engine before anything is written.
 * @publicApi
 */
export class CheckoutInput {
  @Matches(SAFE_ID_PATTERN, { message: 'orderId must be 1 to 64 letters, digits, "_" or "-"' })
  readonly orderId!: string;

  @Matches(SAFE_ID_PATTERN, { message: 'customerId must be 1 to 64 letters, digits, "_" or "-"' })
  readonly customerId!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OrderItemInput)
  readonly items!: OrderItemInput[];

  @IsObject()
  @ValidateNested()
  @Type(() => PaymentInput)
  readonly payment!: PaymentInput;

  @IsObject()
  @ValidateNested()
  @Type(() => ShippingAddressInput)
  readonly shippingAddress!: ShippingAddressInput;
}
