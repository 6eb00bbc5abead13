import type { SagaEvent } from '@sagaflow/core';
import type { LoyaltyInput } from '../input/loyalty.input';

/**
 * The event a shop publishes when an order is placed. The checkout sample starts on it too; this sample reads only
 * the fields it needs, as a separate service would, rather than depend on the checkout's types.
 * @publicApi
 */
export const ORDER_PLACED = 'order.placed';

/**
 * Points per unit ordered, whatever its price.
 * @publicApi
 */
export const POINTS_PER_UNIT = 10;

/**
 * Maps an `order.placed` event to the loyalty saga's input: `undefined` (not for this saga) when the order carries
 * no `memberId`, else the order id, the member id and {@link POINTS_PER_UNIT} points per unit ordered. The engine
 * then validates it as any input, so an invalid member id is reported among the event's rejections while the
 * order's other sagas start.
 * @throws Error when the order's items cannot be counted; the engine reports it as a rejection too
 */
export function loyaltyInputFromOrderPlaced({ payload }: SagaEvent): LoyaltyInput | undefined {
  const { orderId, memberId, items } = payload;
  if (memberId === undefined || memberId === null) return undefined;
  // Not validated here beyond what counting needs: the engine validates the input field by field.
  return { orderId, memberId, points: POINTS_PER_UNIT * unitsOrdered(items) } as LoyaltyInput;
}

function unitsOrdered(items: unknown): number {
  const quantities = Array.isArray(items)
    ? items.map((item: unknown) => (item as { quantity?: unknown } | null)?.quantity)
    : [];
  if (quantities.length === 0 || !quantities.every((quantity) => Number.isSafeInteger(quantity))) {
    throw new Error('the order has no items with a whole quantity to count points from');
  }
  return (quantities as number[]).reduce((sum, quantity) => sum + quantity, 0);
}
