/**
 * Where the engine keeps its data. Every key of one saga carries the saga id as hash tag (`{id}`), so the
 * transition scripts, which touch several of them, stay valid on Redis Cluster. The indexes are global keys
 * and are never written by those scripts.
 */
export class SagaKeys {
  constructor(readonly prefix: string) {}

  /** Hash: the saga's status, cursor, input, and per step `s<i>.<field>`. */
  state(sagaId: string): string {
    return `${this.prefix}:saga:{${sagaId}}`;
  }

  /** List of JSON history entries, oldest first. */
  history(sagaId: string): string {
    return `${this.prefix}:saga:{${sagaId}}:history`;
  }

  /** Sorted set of all saga ids, all scored 0: ids are time-ordered, so lexical order is creation order. */
  index(): string {
    return `${this.prefix}:sagas`;
  }

  /**
   * Sorted set of the ids of sagas that a job should be moving (running or compensating), scored by creation
   * time: what the sweeper checks for a lost job. Kept outside the transition scripts, so an entry may outlive
   * its saga's end; the sweeper drops such entries.
   */
  active(): string {
    return `${this.prefix}:sagas:active`;
  }

  /** Held by the one sweeper that runs at a time. */
  sweeperLock(): string {
    return `${this.prefix}:sweeper:lock`;
  }

  /** String: the saga an idempotency key of a start belongs to, and the hash of its input. */
  idempotency(sagaName: string, key: string): string {
    return `${this.prefix}:idempotency:${sagaName}:${key}`;
  }

  /** String: what publishing an event did (JSON), kept so that publishing it again does nothing. */
  event(eventId: string): string {
    return `${this.prefix}:event:${eventId}`;
  }

  /**
   * Sorted set of the recent events of a type and key (JSON, scored by time): where an event waits for a saga
   * that has not reached its wait step yet.
   */
  mailbox(eventType: string, key: string): string {
    return `${this.prefix}:mailbox:${eventType}:${key}`;
  }

  /** Set of the ids of sagas waiting for an event of a type and key. May hold sagas that no longer wait. */
  waiters(eventType: string, key: string): string {
    return `${this.prefix}:waiters:${eventType}:${key}`;
  }

  /**
   * Stream: the lifecycle outbox, one entry per lifecycle event (field `e`, JSON), written by the transitions
   * themselves (see `lua/includes/appendHistory.lua`).
   */
  lifecycle(): string {
    return `${this.prefix}:lifecycle`;
  }

  /** String: the id of the last lifecycle event the relay has published to every sink. */
  lifecycleRelayed(): string {
    return `${this.prefix}:lifecycle:relayed`;
  }

  /** Held by the one relay that publishes lifecycle events at a time. */
  relayLock(): string {
    return `${this.prefix}:lifecycle:relay:lock`;
  }

  /** Hash of counters the transitions keep (see `lua/includes/metrics.lua`). */
  metrics(): string {
    return `${this.prefix}:metrics`;
  }

  /** Same as {@link index}, for the sagas started by an event with this correlation key, or that waited on it. */
  keyIndex(key: string): string {
    return `${this.prefix}:sagas:key:${key}`;
  }

  /** Same as {@link index}, for the sagas of one name. */
  nameIndex(sagaName: string): string {
    return `${this.prefix}:sagas:name:${sagaName}`;
  }
}
