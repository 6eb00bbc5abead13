import { randomUUID } from 'node:crypto';

export const CARDS = {
  ok: '4242424242424242',
  declined: '4000000000000002',
  failsTwiceThenSucceeds: '4000000000000119',
  refundRejected: '4000000000000259',
  processorHangs: '4000000000006975',
} as const;

/** A valid checkout input; each call has its own order id. */
export function order(overrides: Record<string, unknown> = {}) {
  return {
    orderId: `order-${randomUUID().slice(0, 8)}`,
    customerId: 'customer-1',
    items: [
      { sku: 'SKU-MUG', quantity: 2, priceCents: 1_250 },
      { sku: 'SKU-COFFEE', quantity: 1, priceCents: 1_800 },
    ],
    payment: { cardNumber: CARDS.ok },
    shippingAddress: { line1: '1 Rua Augusta', city: 'Lisbon', country: 'PT' },
    ...overrides,
  };
}

export interface Stock {
  sku: string;
  available: number;
  reserved: number;
  shipped: number;
}
