import { Injectable } from '@nestjs/common';
import { PermanentError } from '@sagaflow/core';

/** What the ledger did, in order: what the test reads to see each step and compensation ran once. */
export interface LedgerEntry {
  kind: 'debit' | 'credit' | 'refund';
  account: string;
  amountCents: number;
  /** The step's idempotency key: the same on every retry of one step of one saga. */
  key: string;
}

/** Thrown for an account that takes no money: permanent, so the saga compensates without retrying. */
export class AccountClosedError extends PermanentError {
  override readonly code = 'LEDGER.ACCOUNT_CLOSED';
}

/**
 * The system the saga changes, a stand-in for a bank's API: each operation applies once per idempotency key, as a
 * real one must for a saga's retries. It lives in this process, which runs the steps too.
 */
@Injectable()
export class LedgerService {
  readonly entries: LedgerEntry[] = [];

  apply(entry: LedgerEntry): LedgerEntry {
    if (entry.kind === 'credit' && entry.account.startsWith('closed-')) {
      throw new AccountClosedError(`Account ${entry.account} is closed.`);
    }
    const done = this.entries.find((seen) => seen.key === entry.key && seen.kind === entry.kind);
    if (done) return done;
    this.entries.push(entry);
    return entry;
  }

  /** The entries of one transfer's accounts. */
  of(...accounts: string[]): LedgerEntry[] {
    return this.entries.filter((entry) => accounts.includes(entry.account));
  }
}
