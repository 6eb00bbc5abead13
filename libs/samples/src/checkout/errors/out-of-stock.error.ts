import { PermanentError } from '@sagaflow/core';
import { CheckoutErrorCode } from './checkout-error-codes';

/**
 * Thrown by `InventoryGateway.reserve` when an item asks for more than is available; nothing was reserved.
 * @publicApi
 */
export class OutOfStockError extends PermanentError {
  override readonly code = CheckoutErrorCode.OutOfStock;

  constructor(
    readonly sku: string,
    readonly requested: number,
    readonly available: number,
  ) {
    super(`Only ${available} of "${sku}" available, ${requested} requested; nothing was reserved.`);
  }
}
