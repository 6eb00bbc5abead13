import { PermanentError } from '@sagaflow/core';
import { TransferErrorCode } from './transfer-error-codes';

/** Thrown by `BankGateway.debit` and `credit` when the bank holds no such account; nothing was changed. @publicApi */
export class UnknownAccountError extends PermanentError {
  override readonly code = TransferErrorCode.UnknownAccount;

  constructor(readonly account: string) {
    super(`The bank holds no account "${account}"; nothing was changed. GET /demo/accounts lists them.`);
  }
}
