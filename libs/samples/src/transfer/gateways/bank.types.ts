/** @publicApi */
export type OperationKind = 'debit' | 'credit' | 'reverseDebit' | 'reverseCredit';

/**
 * One operation as the bank's ledger records it, under its idempotency key.
 * @publicApi
 */
export interface LedgerEntry {
  readonly idempotencyKey: string;
  readonly op: OperationKind;
  readonly account: string;
  readonly amountCents: number;
  /** When it was recorded, in milliseconds since the epoch, by Redis' clock. */
  readonly at: number;
  /**
   * Whether it moved money. Always `true` for a debit or a credit; `false` for a reverse recorded as a no-op
   * because the operation it names was never applied.
   */
  readonly applied: boolean;
  /** For a reverse: the idempotency key of the operation it undoes. */
  readonly reverses?: string;
}

/**
 * A debit or credit a step has posted. Plain data: it is the output of the `debitSource` and
 * `creditDestination` steps.
 * @publicApi
 */
export interface PostedOperation {
  /** The idempotency key the ledger records the operation under; a reverse names it. */
  readonly operationId: string;
  readonly account: string;
  readonly amountCents: number;
}

/** @publicApi */
export interface Account {
  readonly id: string;
  readonly balanceCents: number;
  /** Whether a `reverseDebit` from it fails with `AccountFrozenError` (see `FAULT_TRIGGERS.frozenAccountPrefix`). */
  readonly frozen: boolean;
}
