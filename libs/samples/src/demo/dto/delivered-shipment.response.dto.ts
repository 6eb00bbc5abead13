import type { ShipmentRecord } from '../../checkout';
import type { PublishResult } from '@sagaflow/core';

/** `POST /demo/shipments/:orderId/deliver`: the delivered shipment, and what publishing `shipment.delivered` did. */
export interface DeliveredShipmentResponse extends ShipmentRecord {
  /** `resumed` holds the checkout whose wait it ended; empty when none was waiting (it then takes the kept event). */
  readonly event: PublishResult;
}
