import { PermanentError } from '@sagaflow/core';
import { CheckoutErrorCode } from './checkout-error-codes';

/** Thrown by `InventoryGateway.reserve` when an item's SKU is not stocked; nothing was reserved. @publicApi */
export class UnknownSkuError extends PermanentError {
  override readonly code = CheckoutErrorCode.UnknownSku;

  constructor(readonly sku: string) {
    super(`SKU "${sku}" is not stocked; nothing was reserved. GET /demo/inventory lists the SKUs.`);
  }
}
