import { CheckoutErrorCode } from './checkout-error-codes';

/**
 * Thrown by `PaymentGateway.charge` when the processor fails for a passing reason; nothing was captured, and
 * retrying with the same idempotency key is safe. Deliberately not a `PermanentError`, so the engine retries it.
 * @publicApi
 */
export class PaymentProcessingError extends Error {
  readonly code = CheckoutErrorCode.PaymentProcessing;

  constructor(
    readonly orderId: string,
    reason: string,
  ) {
    super(`The payment processor failed for order "${orderId}" (${reason}); nothing was captured. Retry.`);
    this.name = new.target.name;
  }
}
