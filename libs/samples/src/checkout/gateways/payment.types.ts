/**
 * A captured charge. Plain data: it is the output of the `chargePayment` step.
 * @publicApi
 */
export interface Charge {
  readonly chargeId: string;
  readonly amountCents: number;
}

/** @publicApi */
export type PaymentStatus = 'captured' | 'refunded';

/**
 * The payment of an order as the processor knows it.
 * @publicApi
 */
export interface PaymentRecord {
  readonly status: PaymentStatus;
  readonly amountCents: number;
}
