import type { StockItem } from './stock-item';

/**
 * One entry per SKU (quantities summed), sorted by SKU, and nothing but `sku` and `quantity`: the form the
 * scripts store and compare as a string, so the same order always gives the same JSON.
 */
export function normalizeItems(items: readonly StockItem[]): StockItem[] {
  const bySku = new Map<string, number>();
  for (const { sku, quantity } of items) {
    if (!Number.isInteger(quantity) || quantity < 1) {
      throw new RangeError(`Quantity of "${sku}" must be a positive integer, got ${quantity}.`);
    }
    bySku.set(sku, (bySku.get(sku) ?? 0) + quantity);
  }
  return [...bySku].sort(([a], [b]) => (a < b ? -1 : 1)).map(([sku, quantity]) => ({ sku, quantity }));
}
