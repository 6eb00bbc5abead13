// `@Type` reads design metadata as the class is declared, so this file must not depend on who loaded it first.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject, Matches, ValidateNested } from 'class-validator';
import { OrderItemInput } from './order-item.input';
import { PaymentInput } from './payment.input';
import { ShippingAddressInput } from './shipping-address.input';

/** Ids end up in Redis keys and job ids, so they are kept to a safe alphabet. */
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Input of the checkout saga, validated by the engine before anything is written.
 * @publicApi
 */
export class CheckoutInput {
  @Matches(ID_PATTERN, { message: 'orderId must be 1 to 64 letters, digits, "_" or "-"' })
  readonly orderId!: string;

  @Matches(ID_PATTERN, { message: 'customerId must be 1 to 64 letters, digits, "_" or "-"' })
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
