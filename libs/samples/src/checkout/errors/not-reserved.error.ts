import { PermanentError } from '@sagaflow/core';
import { CheckoutErrorCode } from './checkout-error-codes';

/**
 * Thrown by `ShippingGateway.ship` when the order holds no reservation of exactly the items to ship (never
 * reserved, or already released), so there is no stock to send. Reserve the items first.
 * @publicApi
 */
export class NotReservedError extends PermanentError {
  override readonly code = CheckoutErrorCode.NotReserved;

  constructor(readonly orderId: string) {
    super(`Order "${orderId}" holds no reservation of these items; reserve them before shipping.`);
  }
}
