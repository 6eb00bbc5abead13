import { TransferErrorCode } from './transfer-error-codes';

/**
 * Thrown when the bank fails for a passing reason; nothing was changed, and retrying with the same idempotency
 * key is safe. Deliberately not a `PermanentError`, so the engine retries it.
 * @publicApi
 */
export class BankUnavailableError extends Error {
  readonly code = TransferErrorCode.BankUnavailable;

  constructor(
    readonly account: string,
    reason: string,
  ) {
    super(`The bank failed on account "${account}" (${reason}); nothing was changed. Retry.`);
    this.name = new.target.name;
  }
}
