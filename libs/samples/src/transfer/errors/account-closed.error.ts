import { PermanentError } from '@sagaflow/core';
import { TransferErrorCode } from './transfer-error-codes';

/**
 * Thrown by `BankGateway.credit` for a closed account (the demo closes every account named `closed-…`);
 * nothing was credited, and retrying cannot help.
 * @publicApi
 */
export class AccountClosedError extends PermanentError {
  override readonly code = TransferErrorCode.AccountClosed;

  constructor(readonly account: string) {
    super(`Account "${account}" is closed and cannot be credited; nothing was changed. Pick another account.`);
  }
}
