import { randomUUID } from 'node:crypto';
import { groupRange } from '../definition/saga-definition';
import type { RedisSagaStore } from '../store/redis-saga-store';
import type { ActiveSaga } from '../store/transition';
import { PeriodicTask } from './periodic-task';
import type { SagaLogger } from './saga-logger';
import type { SagaQueues } from '../queues/saga-queues';
import type { SagaRegistry } from '../definition/saga-registry';
import type { StepDispatcher } from '../queues/step-dispatcher';
import { stepJobId } from '../queues/step-job';

/** Options of {@link SagaSweeper}. @publicApi */
export interface SagaSweeperOptions {
  /**
   * How often one of the worker processes looks for sagas no job moves.
   * @defaultValue 15000
   */
  intervalMs?: number;
  /**
   * How long a saga must have gone without a transition before its job is checked; it only needs to cover the
   * moment between writing a saga and adding its first job.
   * @defaultValue 30000
   */
  stuckAfterMs?: number;
}

/** What one sweep found and did. */
export interface SweepReport {
  checked: number;
  /** Sagas whose job was missing, and got it again. */
  redriven: number;
  /** Sagas whose job BullMQ had failed without a transition; their step was failed for good. */
  failed: number;
}

const PAGE = 500;
/** Job states in which a job will still move its saga. */
const ALIVE = new Set(['active', 'waiting', 'delayed', 'prioritized', 'waiting-children']);

/**
 * The backstop of "every saga reaches a terminal status or is parked": it finds sagas that are running or
 * compensating with no live job to move them, and moves them. Such a saga is the result of a crash between
 * writing the saga and adding its first job, of BullMQ failing a job on its own (stalled too often), or of a job
 * lost with Redis' last second of AOF. One sweeper runs at a time across all processes (a Redis lock).
 */
export class SagaSweeper {
  private readonly owner = randomUUID();
  private readonly periodic: PeriodicTask;

  constructor(
    private readonly registry: SagaRegistry,
    private readonly store: RedisSagaStore,
    private readonly queues: SagaQueues,
    private readonly dispatcher: StepDispatcher,
    private readonly logger: SagaLogger,
    private readonly options: Required<SagaSweeperOptions>,
  ) {
    this.periodic = new PeriodicTask(
      options.intervalMs,
      () => this.sweep(),
      (error) => logger.warn(`Sweep failed: ${error.message}`),
    );
  }

  start(): void {
    this.periodic.start();
  }

  async stop(): Promise<void> {
    await this.periodic.stop();
  }

  async sweep(): Promise<SweepReport> {
    const report: SweepReport = { checked: 0, redriven: 0, failed: 0 };
    if (!(await this.store.acquireLock('sweeper', this.owner, this.options.intervalMs))) return report;
    const now = await this.store.now();
    for (const shard of this.store.keys.shards()) {
      for (let offset = 0; ; offset += PAGE) {
        const { stale, active } = await this.store.activeSagas(shard, offset, PAGE);
        for (const sagaId of stale) await this.store.deactivate(sagaId);
        for (const saga of active) {
          if (now - saga.updatedAt < this.options.stuckAfterMs) continue;
          // A waiting saga is held by its timer job; only one overdue by the grace may have lost it.
          if (saga.waitUntil !== undefined && now - saga.waitUntil < this.options.stuckAfterMs) continue;
          report.checked++;
          const outcome = await this.check(saga).catch((error: Error) => {
            this.logger.warn(`Could not check saga ${saga.sagaId}: ${error.message}`, { sagaId: saga.sagaId });
            return undefined;
          });
          if (outcome) report[outcome]++;
        }
        if (stale.length + active.length < PAGE) break;
      }
    }
    if (report.redriven + report.failed > 0) this.logger.warn('Sweep moved sagas that no job moved', { ...report });
    return report;
  }

  /**
   * In-flight sagas whose definition version is not registered in this process, by saga and version: what a
   * process reports at boot, since their steps wait until a process with the version takes them.
   */
  async unregisteredVersions(): Promise<{ saga: string; version: number; sagaIds: string[] }[]> {
    const found = new Map<string, { saga: string; version: number; sagaIds: string[] }>();
    for (const shard of this.store.keys.shards()) {
      for (let offset = 0; ; offset += PAGE) {
        const { stale, active } = await this.store.activeSagas(shard, offset, PAGE);
        for (const { sagaId, name, version } of active) {
          if (this.registry.find(name, version)) continue;
          const key = `${name}@${version}`;
          const entry = found.get(key) ?? { saga: name, version, sagaIds: [] };
          entry.sagaIds.push(sagaId);
          found.set(key, entry);
        }
        if (stale.length + active.length < PAGE) break;
      }
    }
    return [...found.values()];
  }

  private async check(saga: ActiveSaga): Promise<'redriven' | 'failed' | undefined> {
    const { cursor } = saga;
    if ((cursor.phase !== 'run' && cursor.phase !== 'compensate') || cursor.index === undefined) return undefined;
    // A saga of a version this process lacks is left to one that has it (see StepExecutor.postpone).
    const definition = this.registry.find(saga.name, saga.version);
    if (!definition) return undefined;
    // The job that began the current attempt may be an earlier step's that went on to this one (in the same pool).
    const holder = saga.holder
      ? await this.queues.forStep(definition, cursor.index, saga.sagaId).getJob(saga.holder)
      : undefined;
    if (holder && ALIVE.has(await holder.getState())) return undefined;
    // A parallel group: each of its steps still to settle has a job of its own.
    const group = cursor.phase === 'run' ? groupRange(definition, cursor.index) : undefined;
    const indices = group ? await this.store.unsettledSteps(saga.sagaId, group) : [cursor.index];
    let outcome: 'redriven' | 'failed' | undefined;
    for (const index of indices) {
      const ref = { sagaId: saga.sagaId, phase: cursor.phase, index, gen: cursor.gen };
      const step = definition.steps[index];
      const job = await this.queues.forStep(definition, index, saga.sagaId).getJob(stepJobId(ref, step.name));
      const state = job ? await job.getState() : 'missing';
      if (state === 'failed' && job) {
        const reason = { name: 'JobFailedError', message: `BullMQ failed the job: ${job.failedReason}` };
        const failed = await this.store.fail(ref, Math.max(job.attemptsMade, 1), step.name, reason, true);
        if (failed.outcome === 'missing') return undefined;
        await this.dispatcher.dispatch(definition, saga.sagaId, failed.cursor);
        outcome = 'failed';
      } else if (state === 'missing' || state === 'completed') {
        // A completed job whose cursor is still current ended without a transition: run it again.
        await job?.remove();
        outcome ??= 'redriven';
      }
    }
    // Adds the jobs of the cursor (all of a group's: the live ones are not added twice).
    if (outcome === 'redriven') await this.dispatcher.dispatch(definition, saga.sagaId, cursor);
    return outcome;
  }
}
