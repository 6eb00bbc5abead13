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

  /** Same as {@link index}, for the sagas of one name. */
  nameIndex(sagaName: string): string {
    return `${this.prefix}:sagas:name:${sagaName}`;
  }
}
