/**
 * What `InventoryGateway.seed()` stocks: a few SKUs with finite stock, one of them scarce so that running out
 * is easy to show.
 * @publicApi
 */
export const DEMO_STOCK: Readonly<Record<string, number>> = {
  'SKU-COFFEE': 100,
  'SKU-MUG': 25,
  'SKU-GRINDER': 5,
};
