/**
 * Account ids and references that make the demo bank misbehave, so that each failure path of the transfer saga
 * can be shown on demand; any other account or reference is served without trouble.
 * @publicApi
 */
export const FAULT_TRIGGERS = {
  /** A credit to such an account fails with `AccountClosedError` (permanent), so the debit is reversed. */
  closedAccountPrefix: 'closed-',
  /**
   * A credit with this reference always fails with `BankUnavailableError` (transient): a poison step, retried
   * until its attempts run out, after which the debit is reversed.
   */
  poisonReference: 'poison',
  /**
   * A `reverseDebit` from such an account fails with `BankUnavailableError` (transient) on its first two
   * attempts per idempotency key; the third succeeds.
   */
  flakyAccountPrefix: 'flaky-',
  /**
   * A `reverseDebit` from such an account fails with `AccountFrozenError` (transient) until
   * `BankGateway.unfreeze` is called for it, so the saga parks as `compensation_failed` until then.
   */
  frozenAccountPrefix: 'frozen-',
  /**
   * A credit with this reference, and a `reverseDebit` from a `slow-…` account, wait {@link SLOW_OPERATION_MS}
   * before they apply: long enough to kill a worker in the middle of a step or of a compensation.
   */
  slowReference: 'slow',
  slowAccountPrefix: 'slow-',
} as const;

/** How long a slow operation waits before it applies. */
export const SLOW_OPERATION_MS = 1_500;
