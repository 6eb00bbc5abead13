import { PermanentError } from '@sagaflow/core';
import { CheckoutErrorCode } from './checkout-error-codes';

/** Thrown by `PaymentGateway.charge` when the card is declined; retrying the same card cannot help. @publicApi */
export class CardDeclinedError extends PermanentError {
  override readonly code = CheckoutErrorCode.CardDeclined;

  constructor(
    readonly orderId: string,
    readonly cardLast4: string,
  ) {
    super(`Card ending ${cardLast4} was declined for order "${orderId}"; ask the customer for another card.`);
  }
}
