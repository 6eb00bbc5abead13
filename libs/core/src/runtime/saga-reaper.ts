import { randomUUID } from 'node:crypto';
import type { RedisSagaStore } from '../store/redis-saga-store';
import { PeriodicTask } from './periodic-task';
import type { SagaLogger } from './saga-logger';

/** Options of {@link SagaReaper}. @publicApi */
export interface SagaReaperOptions {
  /**
   * How often one of the worker processes removes the ended sagas whose retention is over.
   * @defaultValue 60000
   */
  intervalMs?: number;
  /**
   * Sagas removed per round trip; a pass goes on batch after batch until none is due, so a backlog is worked off
   * without one long script blocking Redis.
   * @defaultValue 500
   */
  batchSize?: number;
}

/** What one pass removed and put off. */
export interface ReapReport {
  removed: number;
  /** Child sagas whose parent is still kept: each waits one more retention, since its parent may still undo it. */
  postponed: number;
}

/**
 * Removes ended sagas (completed or compensated) once their retention is over, with their history, index entries
 * and idempotency records (BullMQ removes their jobs by age itself). Running, waiting and parked sagas are never
 * touched: a saga is scheduled for removal only by the transition that ends it. One reaper runs at a time across
 * all processes (a Redis lock).
 */
export class SagaReaper {
  private readonly owner = randomUUID();
  private readonly periodic: PeriodicTask;

  constructor(
    private readonly store: RedisSagaStore,
    private readonly logger: SagaLogger,
    private readonly options: Required<SagaReaperOptions>,
  ) {
    this.periodic = new PeriodicTask(
      options.intervalMs,
      () => this.reap(),
      (error) => logger.warn(`Removing ended sagas failed: ${error.message}`),
    );
  }

  start(): void {
    this.periodic.start();
  }

  async stop(): Promise<void> {
    await this.periodic.stop();
  }

  async reap(): Promise<ReapReport> {
    const report: ReapReport = { removed: 0, postponed: 0 };
    if (!(await this.store.acquireLock('reaper', this.owner, this.options.intervalMs))) return report;
    const now = await this.store.now();
    for (const shard of this.store.keys.shards()) {
      for (;;) {
        const due = await this.store.dueForRemoval(shard, now, this.options.batchSize);
        if (due.length === 0) break;
        const holds = await this.store.removalHolds(due);
        // Parents are looked up before anything of the batch goes: a child waits for a parent removed beside it.
        const parentsKept = await Promise.all(
          holds.map(({ parent }) => parent !== undefined && this.store.exists(parent)),
        );
        await Promise.all(
          due.map(async (sagaId, i) => {
            if (parentsKept[i]) {
              await this.store.postponeRemoval(sagaId, now, holds[i].retentionMs);
              report.postponed++;
            } else if ((await this.store.remove(sagaId)).outcome === 'removed') {
              report.removed++;
            }
          }),
        );
        if (due.length < this.options.batchSize) break;
      }
    }
    if (report.removed + report.postponed > 0)
      this.logger.log('Removed ended sagas past their retention', { ...report });
    return report;
  }
}
