/**
 * Where the demo loyalty programme keeps its state, beside the engine's keys. Every key carries the hash tag
 * `{loyalty}`: each script writes a member's balance or messages together with its idempotency record, and must
 * stay valid on Redis Cluster.
 */
export class LoyaltyKeys {
  private readonly base: string;

  constructor(prefix: string) {
    this.base = `${prefix}:demo:{loyalty}`;
  }

  /** Hash: member id → points balance. A member is known once it has an entry. */
  members(): string {
    return `${this.base}:members`;
  }

  /** List: the member's notifications (JSON), oldest first. */
  notifications(memberId: string): string {
    return `${this.base}:notifications:${memberId}`;
  }

  /** Hash: idempotency key → the notification sent under it (JSON). */
  sent(): string {
    return `${this.base}:sent`;
  }

  /** Hash: idempotency key → the award made under it (JSON), with its status. */
  awards(): string {
    return `${this.base}:awards`;
  }
}
