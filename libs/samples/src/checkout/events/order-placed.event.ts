import type { SagaEvent } from '@sagaflow/core';
import type { CheckoutInput } from '../input/checkout.input';

/** The event a shop publishes when an order is placed; it starts a checkout. @publicApi */
export const ORDER_PLACED = 'order.placed';

/**
 * Payload of {@link ORDER_PLACED}: the checkout's input, plus the customer's loyalty member id when they have one.
 * The member id is for other sagas (loyalty); the checkout ignores it.
 * @publicApi
 */
export type OrderPlacedPayload = CheckoutInput & { readonly memberId?: string };

/**
 * Maps an `order.placed` event to the checkout's input: the payload without `memberId`, which the checkout's
 * input would refuse as an undeclared field. Every order is the checkout's, so it never answers `undefined`.
 */
export function checkoutInputFromOrderPlaced({ payload }: SagaEvent): CheckoutInput {
  const { memberId: _memberId, ...order } = payload;
  // Not validated here: the engine validates what a trigger maps to as any input, and rejects it field by field.
  return order as unknown as CheckoutInput;
}
