import { CheckoutErrorCode } from './checkout-error-codes';

/**
 * Thrown by `PaymentGateway.refund` when the processor refuses the refund for now; the charge stays captured.
 * Transient by type, so the compensation is retried until its attempts run out.
 * @publicApi
 */
export class RefundRejectedError extends Error {
  readonly code = CheckoutErrorCode.RefundRejected;

  constructor(readonly orderId: string) {
    super(`The processor rejected the refund for order "${orderId}"; the charge is still captured. Retry later.`);
    this.name = new.target.name;
  }
}
