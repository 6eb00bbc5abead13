import type { StockItem } from './stock-item';

/**
 * The stock `InventoryGateway.reserve` holds for an order. Plain data: it is the output of the
 * `reserveInventory` step.
 * @publicApi
 */
export interface Reservation {
  readonly reservationId: string;
  /** One entry per SKU, sorted by SKU. */
  readonly items: StockItem[];
}

/**
 * The figures of one SKU. `available + reserved + shipped` stays constant: units only move between them.
 * @publicApi
 */
export interface StockLevel {
  readonly sku: string;
  readonly available: number;
  readonly reserved: number;
  readonly shipped: number;
}

/** A record another gateway creates in the same atomic step as a stock movement. */
export interface LinkedRecord {
  readonly key: string;
  readonly fields: Readonly<Record<string, string>>;
}

/** What {@link InventoryGateway.moveShippedToAvailable} did. */
export type ReturnOutcome = 'returned' | 'already-returned' | 'no-shipment' | 'delivered';
