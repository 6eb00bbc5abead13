import { PermanentError } from '@sagaflow/core';
import { CheckoutErrorCode } from './checkout-error-codes';

/** Thrown by `ShippingGateway.markDelivered` when the shipment was cancelled: it never left. @publicApi */
export class ShipmentCancelledError extends PermanentError {
  override readonly code = CheckoutErrorCode.ShipmentCancelled;

  constructor(readonly orderId: string) {
    super(`The shipment of order "${orderId}" was cancelled and cannot be delivered.`);
  }
}
