import type { PublishEvent } from '@sagaflow/core';

/** The event the carrier publishes when a parcel is delivered, keyed by order id; it ends `awaitDelivery`. @publicApi */
export const SHIPMENT_DELIVERED = 'shipment.delivered';

/**
 * What the demo carrier puts in a {@link SHIPMENT_DELIVERED} event. The checkout does not require it: any payload
 * under the order's key ends the wait, and becomes the output of `awaitDelivery`.
 * @publicApi
 */
export interface ShipmentDeliveredPayload {
  readonly orderId: string;
  readonly shipmentId: string;
  /** When the parcel was handed over, ISO 8601. */
  readonly deliveredAt: string;
}

/**
 * The {@link SHIPMENT_DELIVERED} event of an order. Its id is derived from the order, so publishing the delivery
 * of one order again has no second effect.
 * @publicApi
 */
export function shipmentDeliveredEvent({ orderId, shipmentId, deliveredAt }: ShipmentDeliveredPayload): PublishEvent {
  return {
    id: `shipment-delivered-${orderId}`,
    type: SHIPMENT_DELIVERED,
    key: orderId,
    payload: { orderId, shipmentId, deliveredAt },
  };
}
