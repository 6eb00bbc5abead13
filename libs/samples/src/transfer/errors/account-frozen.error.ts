import { TransferErrorCode } from './transfer-error-codes';

/**
 * Thrown by `BankGateway.reverseDebit` while the account is frozen; nothing was changed. Transient by type: the
 * compensation is retried, and once its attempts run out the saga is parked until someone unfreezes the account
 * and retries it.
 * @publicApi
 */
export class AccountFrozenError extends Error {
  readonly code = TransferErrorCode.AccountFrozen;

  constructor(readonly account: string) {
    super(
      `Account "${account}" is frozen; nothing was changed. Unfreeze it ` +
        `(POST /demo/accounts/${account}/unfreeze), then retry.`,
    );
    this.name = new.target.name;
  }
}
