import { PermanentError } from '@sagaflow/core';
import { TransferErrorCode } from './transfer-error-codes';

/**
 * Thrown by `BankGateway.debit` and `credit` when the operation's key was reversed before the operation ever
 * applied (a compensation overtook a late attempt): it will never apply, so the reverse's no-op stays right.
 * @publicApi
 */
export class OperationVoidedError extends PermanentError {
  override readonly code = TransferErrorCode.OperationVoided;

  constructor(
    readonly idempotencyKey: string,
    readonly reversedBy: string,
  ) {
    super(
      `Operation "${idempotencyKey}" was reversed by "${reversedBy}" before it applied, so it never will; ` +
        'nothing was changed. Start a new operation with a new key.',
    );
  }
}
