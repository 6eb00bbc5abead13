import { IsISO8601, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import type { PublishEvent } from '@sagaflow/core';
import { SAFE_ID_PATTERN } from '../input/safe-id';

/** The event the carrier publishes when a parcel is delivered, keyed by order id; it ends `awaitDelivery`. @publicApi */
export const SHIPMENT_DELIVERED = 'shipment.delivered';

/**
 * Payload of {@link SHIPMENT_DELIVERED}, and the output of the `awaitDelivery` step. An event whose payload does
 * not fit is refused (the publisher sees it under `rejected`) and the checkout goes on waiting.
 * @publicApi
 */
export class ShipmentDelivered {
  @Matches(SAFE_ID_PATTERN, { message: 'orderId must be 1 to 64 letters, digits, "_" or "-"' })
  readonly orderId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  readonly shipmentId!: string;

  /** When the carrier handed the parcel over, ISO 8601. */
  @IsISO8601({ strict: true }, { message: 'deliveredAt must be an ISO 8601 date-time' })
  readonly deliveredAt!: string;
}

/**
 * The {@link SHIPMENT_DELIVERED} event of an order. Its id is derived from the order, so publishing the delivery
 * of one order again has no second effect.
 * @publicApi
 */
export function shipmentDeliveredEvent({ orderId, shipmentId, deliveredAt }: ShipmentDelivered): PublishEvent {
  return {
    id: `shipment-delivered-${orderId}`,
    type: SHIPMENT_DELIVERED,
    key: orderId,
    payload: { orderId, shipmentId, deliveredAt },
  };
}
