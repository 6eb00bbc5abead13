import { PermanentError } from '@sagaflow/core';
import { CheckoutErrorCode } from './checkout-error-codes';

/**
 * Thrown by `ShippingGateway.cancel` when the parcel has been delivered: it can no longer be stopped, and its
 * stock does not come back. Someone has to arrange a return.
 * @publicApi
 */
export class ShipmentAlreadyDeliveredError extends PermanentError {
  override readonly code = CheckoutErrorCode.ShipmentAlreadyDelivered;

  constructor(readonly orderId: string) {
    super(`The shipment of order "${orderId}" was already delivered and cannot be cancelled; arrange a return.`);
  }
}
