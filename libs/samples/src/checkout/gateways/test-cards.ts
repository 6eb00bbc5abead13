/**
 * Card numbers that make the demo payment processor misbehave; any other 12-19 digit number is charged.
 * @publicApi
 */
export const TEST_CARDS = {
  /** Charged without trouble. */
  ok: '4242424242424242',
  /** Declined: `CardDeclinedError`, not retried. */
  declined: '4000000000000002',
  /** The first two attempts per order and idempotency key fail with `PaymentProcessingError`; the third succeeds. */
  failsTwiceThenSucceeds: '4000000000000119',
  /** Charged, but every refund fails with `RefundRejectedError`, so the compensation never succeeds. */
  refundRejected: '4000000000000259',
  /** The processor never answers: the charge waits 60 s (or until aborted) and captures nothing. */
  hangs: '4000000000006975',
} as const;
