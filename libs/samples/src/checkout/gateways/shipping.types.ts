import type { StockItem } from './stock-item';

/** @publicApi */
export interface ShippingAddress {
  readonly line1: string;
  readonly city: string;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
}

/**
 * A shipment just created. Plain data: it is the output of the `shipOrder` step.
 * @publicApi
 */
export interface ShipmentCreated {
  readonly shipmentId: string;
  readonly trackingNumber: string;
}

/** @publicApi */
export type ShipmentStatus = 'created' | 'cancelled' | 'delivered';

/**
 * The shipment of an order as the carrier knows it.
 * @publicApi
 */
export interface ShipmentRecord {
  readonly shipmentId: string;
  readonly status: ShipmentStatus;
  readonly trackingNumber: string;
  /** One entry per SKU, sorted by SKU. */
  readonly items: StockItem[];
  /** When it was delivered, ISO 8601; set once its status is 'delivered'. */
  readonly deliveredAt?: string;
}
