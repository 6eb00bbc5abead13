import { PermanentError } from '@sagaflow/core';
import { TransferErrorCode } from './transfer-error-codes';

/**
 * Thrown when taking money from an account would leave it below zero: a debit beyond the balance, or the
 * reverse of a credit the account has spent since. Nothing was changed.
 * @publicApi
 */
export class InsufficientFundsError extends PermanentError {
  override readonly code = TransferErrorCode.InsufficientFunds;

  constructor(
    readonly account: string,
    readonly requestedCents: number,
    readonly balanceCents: number,
  ) {
    super(`Account "${account}" holds ${balanceCents} cents, ${requestedCents} requested; nothing was changed.`);
  }
}
