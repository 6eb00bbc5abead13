/**
 * A quantity of one SKU.
 * @publicApi
 */
export interface StockItem {
  readonly sku: string;
  readonly quantity: number;
}
