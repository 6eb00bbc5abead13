/** The figures kept per SKU; each is one hash of SKU → units. */
export type StockFigure = 'available' | 'reserved' | 'shipped';

/**
 * Where the demo gateways keep their state, beside the engine's keys. Every key carries the hash tag
 * `{checkout}`: the scripts that move stock and write an order's record in one step touch keys of all three
 * gateways, and must stay valid on Redis Cluster.
 */
export class DemoKeys {
  private readonly base: string;

  constructor(prefix: string) {
    this.base = `${prefix}:demo:{checkout}`;
  }

  stock(figure: StockFigure): string {
    return `${this.base}:stock:${figure}`;
  }

  /** Hash: reservationId, status ('reserved' | 'released' | 'shipped' | 'returned'), items (JSON). */
  reservation(orderId: string): string {
    return `${this.base}:reservation:${orderId}`;
  }

  /** Hash: chargeId, status ('captured' | 'refunded'), amountCents, cardLast4, refundsRejected, idempotency keys. */
  payment(orderId: string): string {
    return `${this.base}:payment:${orderId}`;
  }

  /** Counter of charge attempts, for the card that fails its first attempts. */
  paymentAttempts(orderId: string, idempotencyKey: string): string {
    return `${this.base}:payment:${orderId}:attempts:${idempotencyKey}`;
  }

  /**
   * Hash: shipmentId, trackingNumber, status ('created' | 'cancelled' | 'delivered'), items and address (JSON),
   * and deliveredAt once delivered.
   */
  shipment(orderId: string): string {
    return `${this.base}:shipment:${orderId}`;
  }
}
