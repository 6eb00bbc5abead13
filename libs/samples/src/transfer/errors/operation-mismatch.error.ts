import { PermanentError } from '@sagaflow/core';
import type { LedgerEntry } from '../gateways/bank.types';
import { TransferErrorCode } from './transfer-error-codes';

/**
 * Thrown when an idempotency key already records another operation than the one asked for (another kind,
 * account or amount), or when a reverse names an operation that is not the one it would undo. Nothing was
 * changed: a key stands for one operation only.
 * @publicApi
 */
export class OperationMismatchError extends PermanentError {
  override readonly code = TransferErrorCode.OperationMismatch;

  constructor(
    /** What was asked for, in words. */
    readonly requested: string,
    readonly recorded: LedgerEntry,
  ) {
    super(
      `Idempotency key "${recorded.idempotencyKey}" records a ${recorded.op} of ${recorded.amountCents} cents ` +
        `on "${recorded.account}", not ${requested}; nothing was changed. Use a key of its own per operation.`,
    );
  }
}
