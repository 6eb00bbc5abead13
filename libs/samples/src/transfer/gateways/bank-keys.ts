/**
 * Where the demo bank keeps its state, beside the engine's keys. Every key carries the hash tag `{bank}`: each
 * operation's script moves a balance and writes the ledger in one step, and must stay valid on Redis Cluster.
 */
export class BankKeys {
  private readonly base: string;

  constructor(prefix: string) {
    this.base = `${prefix}:demo:{bank}`;
  }

  /** Hash: account id → balance in cents. */
  accounts(): string {
    return `${this.base}:accounts`;
  }

  /** Hash: idempotency key → ledger entry (JSON, without the key). */
  ledger(): string {
    return `${this.base}:ledger`;
  }

  /** Hash: idempotency key → how many times its operation moved money; kept apart so it can prove "at most once". */
  applications(): string {
    return `${this.base}:applications`;
  }

  /** Hash: idempotency key of an operation → idempotency key of the reverse that undid (or voided) it. */
  reversals(): string {
    return `${this.base}:reversals`;
  }

  /** Set of the `frozen-…` accounts that were unfrozen. */
  unfrozen(): string {
    return `${this.base}:unfrozen`;
  }

  /** Counter of `reverseDebit` attempts, for the accounts that fail their first attempts. */
  reverseAttempts(idempotencyKey: string): string {
    return `${this.base}:reverse-attempts:${idempotencyKey}`;
  }
}
