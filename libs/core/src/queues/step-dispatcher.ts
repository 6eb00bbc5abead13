import { Job, type IRedisTransaction, type JobsOptions, type KeepJobs, type Queue } from 'bullmq';
import type { ChainableCommander } from 'ioredis';
import { groupRange, type SagaDefinition } from '../definition/saga-definition';
import { DEFAULT_RETENTION_MS } from '../definition/retention';
import { StoreUnavailableError } from '../errors/store-unavailable.error';
import { guardRedis } from '../redis/guard-redis';
import type { Phase, SagaCursor, StepJobRef, Transition } from '../store/transition';
import type { SagaQueues } from './saga-queues';
import { SAGA_BACKOFF, retryDelay, stepJobId, stepJobName, timerJobId, type StepJobData } from './step-job';

/**
 * How many finished jobs BullMQ keeps per queue for Bull Board, at most as long as their saga's retention (BullMQ
 * drops older ones as later jobs finish); the saga's own history is kept regardless, for its retention.
 */
const KEEP_COMPLETED_JOBS = 1_000;
const KEEP_FAILED_JOBS = 5_000;

/** BullMQ's `removeOnComplete` and `removeOnFail` of a definition's jobs. */
interface KeptJobs {
  completed: KeepJobs;
  failed: KeepJobs;
}
/**
 * How long a start waits for the connection while it is first being made: a cluster's first connection (slots,
 * then a connection per node) took over a second on a loaded 2-core machine, and a start at boot should wait for
 * it. Once it has been up, an outage answers sooner.
 */
const FIRST_CONNECT_WAIT_MS = 5_000;
const RECONNECT_WAIT_MS = 1_000;

/**
 * Told of a saga that has ended (completed or compensated), by the transition that ended it or by a later,
 * stale one: at least once, so it must be idempotent.
 */
export type FinishedListener = (definition: SagaDefinition, sagaId: string, cursor: SagaCursor) => Promise<void>;

/** A job to add, in the shape of BullMQ's `addBulk`. */
interface StepJob {
  name: string;
  data: StepJobData;
  opts: JobsOptions & { jobId: string };
}

/** Adds the jobs that move a saga from its cursor; idempotent, since a job's id is derived from its cursor. */
export class StepDispatcher {
  private readonly finishedListeners: FinishedListener[] = [];
  private readonly kept = new WeakMap<SagaDefinition, KeptJobs>();

  /** @param retentionMs - the deployment's retention of ended sagas (`null`: for ever), for their finished jobs */
  constructor(
    private readonly queues: SagaQueues,
    private readonly retentionMs: number | null = DEFAULT_RETENTION_MS,
  ) {}

  /** Calls `listener` after each transition that {@link follow} is given for a saga that has ended. */
  onFinished(listener: FinishedListener): void {
    this.finishedListeners.push(listener);
  }

  /**
   * Acts on a transition that no job goes on from: adds the job for where the saga stands now (for a stale
   * transition, this re-adds a job lost to a crash). A parked saga needs none; a finished one tells the
   * {@link onFinished} listeners. For a waiting saga the
   * job is its wait step's: if a crash cut the parking short (no timer yet), that job parks it again; if the wait
   * is set up, the job id is taken already, or the job finds it waiting and only checks the timer and kept events.
   */
  async follow(definition: SagaDefinition, sagaId: string, transition: Transition): Promise<void> {
    if (transition.outcome === 'missing') return;
    if (transition.cursor.phase === '') {
      for (const listener of this.finishedListeners) await listener(definition, sagaId, transition.cursor);
      return;
    }
    await this.dispatch(definition, sagaId, transition.cursor);
  }

  /** Adds the timer job that ends a wait (or sleep) step after `delayMs`. Idempotent, as step jobs. */
  async dispatchTimer(definition: SagaDefinition, ref: StepJobRef, delayMs: number): Promise<void> {
    const step = definition.steps[ref.index];
    const data: StepJobData = { ...ref, saga: definition.name, version: definition.version, timer: true };
    await guardRedis(() =>
      this.queues.get(definition.name, this.queues.keys.shardOf(ref.sagaId)).add(`${step.name}.timer`, data, {
        jobId: timerJobId(ref, step.name),
        delay: Math.max(0, delayMs),
        attempts: 5,
        backoff: { type: 'exponential', delay: 1_000 },
        removeOnComplete: this.keptJobs(definition).completed,
        removeOnFail: this.keptJobs(definition).failed,
      }),
    );
  }

  /**
   * @param attemptsMade - attempts of the cursor's step made already (by a job that went on to it); its job
   * then waits the backoff and has only the remaining attempts
   */
  async dispatch(definition: SagaDefinition, sagaId: string, cursor: SagaCursor, attemptsMade = 0): Promise<void> {
    // A parallel group's steps may run in different pools, whose queues differ.
    const byQueue = new Map<Queue, StepJob[]>();
    for (const job of this.jobsFor(definition, sagaId, cursor, attemptsMade)) {
      const queue = this.queues.forStep(definition, job.data.index, sagaId);
      byQueue.set(queue, [...(byQueue.get(queue) ?? []), job]);
    }
    for (const [queue, jobs] of byQueue) {
      const [{ name, data, opts }] = jobs;
      if (jobs.length === 1) await guardRedis(() => queue.add(name, data, opts));
      else await guardRedis(() => queue.addBulk(jobs));
    }
  }

  /** Removes a wait's timer job once the wait has ended otherwise; a timer left behind would only find it ended. */
  async removeTimer(definition: SagaDefinition, ref: StepJobRef): Promise<void> {
    const id = timerJobId(ref, definition.steps[ref.index].name);
    const queue = this.queues.get(definition.name, this.queues.keys.shardOf(ref.sagaId));
    await guardRedis(() => queue.remove(id)).catch(() => undefined);
  }

  /**
   * Opens a MULTI on the saga queue's connection in which BullMQ can add jobs, so that a job is added in the same
   * atomic step as the saga's own writes (see {@link addToTransaction}): those of the saga `sagaId`, in its shard.
   */
  async transaction(definition: SagaDefinition, sagaId: string): Promise<ChainableCommander> {
    // BullMQ waits for ever for a connection that has never been ready (Redis down or refusing the login at boot):
    // a start is refused instead, as it is during a later outage.
    if (!(await this.queues.connected(this.queues.hasBeenReady ? RECONNECT_WAIT_MS : FIRST_CONNECT_WAIT_MS))) {
      throw new StoreUnavailableError(new Error('the Redis connection is not ready'));
    }
    const queue = this.queues.get(definition.name, this.queues.keys.shardOf(sagaId));
    const client = await guardRedis(() => queue.getBackend().client);
    // BullMQ wraps the ioredis connection; its MULTI is an ioredis MULTI that also carries BullMQ's commands.
    return client.multi() as unknown as ChainableCommander;
  }

  /**
   * Queues the insertion of the jobs of a saga's cursor on a {@link transaction}; failures surface from the
   * transaction's `exec`. Only the jobs of queues in the saga's shard can share its MULTI: returns false when some
   * go to a named pool's queue in another shard, to be added by {@link dispatch} once the saga is written (the
   * sweeper adds them if the process dies in between).
   */
  addToTransaction(
    transaction: ChainableCommander,
    definition: SagaDefinition,
    sagaId: string,
    cursor: SagaCursor,
  ): boolean {
    const bullTransaction = transaction as unknown as IRedisTransaction;
    const shardPrefix = this.queues.keys.prefixes[this.queues.keys.shardOf(sagaId)];
    let all = true;
    for (const job of this.jobsFor(definition, sagaId, cursor)) {
      const queue = this.queues.forStep(definition, job.data.index, sagaId);
      if (queue.opts.prefix !== shardPrefix) {
        all = false;
        continue;
      }
      new Job(queue, job.name, job.data, job.opts, job.opts.jobId).addJob(bullTransaction).catch(() => undefined);
    }
    return all;
  }

  /**
   * The jobs that move a saga on from its cursor: the step's, or one per step of a parallel group the cursor
   * has just reached (a retry, after `attemptsMade` attempts, is one step's).
   */
  private jobsFor(definition: SagaDefinition, sagaId: string, cursor: SagaCursor, attemptsMade = 0): StepJob[] {
    if ((cursor.phase !== 'run' && cursor.phase !== 'compensate') || cursor.index === undefined) return [];
    const group = cursor.phase === 'run' && attemptsMade === 0 && groupRange(definition, cursor.index);
    const [first, last] = group || [cursor.index, cursor.index];
    const jobs: StepJob[] = [];
    for (let index = first; index <= last; index++) {
      jobs.push(this.jobFor(definition, sagaId, { ...cursor, index }, attemptsMade));
    }
    return jobs;
  }

  private jobFor(definition: SagaDefinition, sagaId: string, cursor: SagaCursor, attemptsMade: number): StepJob {
    const phase = cursor.phase as Phase;
    const step = definition.steps[cursor.index as number];
    const options = phase === 'run' ? step.run : step.compensation;
    const data: StepJobData = {
      sagaId,
      saga: definition.name,
      version: definition.version,
      phase,
      index: cursor.index as number,
      gen: cursor.gen,
      ...(attemptsMade > 0 && { attemptOffset: attemptsMade }),
    };
    return {
      name: stepJobName(phase, step.name),
      data,
      opts: {
        jobId: stepJobId(data, step.name),
        attempts: options.attempts - attemptsMade,
        backoff: { type: SAGA_BACKOFF },
        ...(attemptsMade > 0 && { delay: retryDelay(options.backoff, attemptsMade) }),
        removeOnComplete: this.keptJobs(definition).completed,
        removeOnFail: this.keptJobs(definition).failed,
      },
    };
  }

  private keptJobs(definition: SagaDefinition): KeptJobs {
    let kept = this.kept.get(definition);
    if (!kept) {
      const retentionMs = definition.retentionMs === undefined ? this.retentionMs : definition.retentionMs;
      const age = retentionMs === null ? {} : { age: Math.ceil(retentionMs / 1_000) };
      kept = { completed: { count: KEEP_COMPLETED_JOBS, ...age }, failed: { count: KEEP_FAILED_JOBS, ...age } };
      this.kept.set(definition, kept);
    }
    return kept;
  }
}
