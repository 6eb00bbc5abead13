/** The transitions a batch can hold: those of a step going well, which a busy worker sends most. */
export type BatchedTransition = 'begin' | 'complete';

const FILES = { begin: 'begin-step-6.lua', complete: 'complete-step-6.lua' } as const;

/** What the batches need of `LuaScripts`: to run the two scripts and the batch's. */
interface BatchScripts {
  run<R>(
    file: (typeof FILES)[BatchedTransition] | 'transitions-n.lua',
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<R>;
  releaseWrites(): void;
}

/**
 * The most transitions in one call: enough to make a call's own cost small beside its transitions'. A batch is
 * sent as soon as it holds half the transitions outstanding in the last tick (at most this many), so that Redis
 * runs one call while the worker is still busy with the rest of the replies that woke it, rather than the two
 * taking turns: at concurrency 10, calls of ten had the worker and Redis take turns, where five let them overlap;
 * at 50, calls of ten cost Redis less than calls of five (bench/README.md).
 */
export const MAX_BATCH = 10;

interface Pending {
  kind: BatchedTransition;
  keys: readonly string[];
  args: readonly (string | number)[];
  resolve(reply: unknown): void;
  reject(error: unknown): void;
}

/**
 * Sends the begin-step and complete-step transitions asked for within one tick together, one call per shard
 * (`lua/transitions-n.lua`), rather than a script call each: at a concurrency of 50, the replies of one read wake
 * up many jobs, which each ask for their next transition in the same tick, and Redis' work to read, parse and
 * answer a call costs a step about as much as the transition itself. A transition alone in its tick goes as its
 * own script. Each keeps its own reply (or error), and its order behind what this connection was sent before.
 */
export class TransitionBatches {
  /** By the shard's index of active sagas (the third key of every transition): the transitions to send. */
  private readonly pending = new Map<string, Pending[]>();
  /** Whether the end of this tick sends what is pending. */
  private scheduled = false;
  /** Resolved once the transitions of the current tick have been handed to the connection. */
  private sent: Promise<void> | undefined;
  private markSent: (() => void) | undefined;
  /** Transitions asked for and not answered yet, and the most of them at once since the last tick's end. */
  private outstanding = 0;
  private peak = 0;
  /** The size at which a batch goes at once: half the last tick's peak, from 2 to {@link MAX_BATCH}. */
  private limit = MAX_BATCH;

  constructor(private readonly scripts: BatchScripts) {}

  run<R>(kind: BatchedTransition, keys: readonly string[], args: readonly (string | number)[]): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const shard = keys[2];
      let batch = this.pending.get(shard);
      if (!batch) {
        this.pending.set(shard, (batch = []));
        if (!this.scheduled) {
          this.scheduled = true;
          process.nextTick(() => this.flush());
        }
      }
      batch.push({ kind, keys, args, resolve: resolve as (reply: unknown) => void, reject });
      this.peak = Math.max(this.peak, ++this.outstanding);
      if (batch.length >= this.limit) {
        this.pending.delete(shard);
        this.send(batch);
        this.scripts.releaseWrites();
      }
    });
  }

  /** Resolves once the transitions asked for so far have been handed to the connection (in their order). */
  whenSent(): Promise<void> {
    if (!this.scheduled) return Promise.resolve();
    return (this.sent ??= new Promise<void>((resolve) => (this.markSent = resolve)));
  }

  private flush(): void {
    this.scheduled = false;
    this.limit = Math.min(MAX_BATCH, Math.max(2, Math.ceil(this.peak / 2)));
    this.peak = this.outstanding;
    for (const batch of this.pending.values()) this.send(batch);
    this.pending.clear();
    this.markSent?.();
    this.sent = this.markSent = undefined;
  }

  private send(batch: Pending[]): void {
    const answered = () => (this.outstanding -= batch.length);
    if (batch.length === 1) {
      const [one] = batch;
      this.scripts.run(FILES[one.kind], one.keys, one.args).then(
        (reply) => (answered(), one.resolve(reply)),
        (error: unknown) => (answered(), one.reject(error)),
      );
      return;
    }
    // The shard's four keys once, then each saga's own two.
    const keys = batch[0].keys.slice(2);
    const args: (string | number)[] = [];
    for (const { kind, keys: own, args: its } of batch) {
      keys.push(own[0], own[1]);
      args.push(kind, its.length, ...its);
    }
    this.scripts.run<unknown[]>('transitions-n.lua', keys, args).then(
      (replies) => {
        answered();
        batch.forEach((one, i) => (replies[i] instanceof Error ? one.reject(replies[i]) : one.resolve(replies[i])));
      },
      (error: unknown) => {
        answered();
        batch.forEach((one) => one.reject(error));
      },
    );
  }
}
