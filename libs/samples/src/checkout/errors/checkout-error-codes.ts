/**
 * Stable codes of the checkout errors. A step's error is persisted with its code, and the code, not the class,
 * is what an operator or an HTTP client can still match on.
 * @publicApi
 */
export const CheckoutErrorCode = {
  UnknownSku: 'CHECKOUT.UNKNOWN_SKU',
  OutOfStock: 'CHECKOUT.OUT_OF_STOCK',
  NotReserved: 'CHECKOUT.NOT_RESERVED',
  CardDeclined: 'CHECKOUT.CARD_DECLINED',
  PaymentProcessing: 'CHECKOUT.PAYMENT_PROCESSING',
  RefundRejected: 'CHECKOUT.REFUND_REJECTED',
  UnshippableAddress: 'CHECKOUT.UNSHIPPABLE_ADDRESS',
  ShipmentAlreadyDelivered: 'CHECKOUT.SHIPMENT_ALREADY_DELIVERED',
  ShipmentCancelled: 'CHECKOUT.SHIPMENT_CANCELLED',
} as const;

export type CheckoutErrorCode = (typeof CheckoutErrorCode)[keyof typeof CheckoutErrorCode];
