import { PermanentError } from '@sagaflow/core';
import { CheckoutErrorCode } from './checkout-error-codes';

/** Thrown by `ShippingGateway.ship` for a country the carrier does not serve; nothing was shipped. @publicApi */
export class UnshippableAddressError extends PermanentError {
  override readonly code = CheckoutErrorCode.UnshippableAddress;

  constructor(
    readonly orderId: string,
    readonly country: string,
  ) {
    super(`No carrier ships to country "${country}" (order "${orderId}"); ask for another address.`);
  }
}
