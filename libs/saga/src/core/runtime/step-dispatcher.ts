import { Job, type IRedisTransaction, type JobsOptions } from 'bullmq';
import type { ChainableCommander } from 'ioredis';
import type { SagaDefinition } from '../definition/saga-definition';
import { StoreUnavailableError } from '../errors/store-unavailable.error';
import { guardRedis } from '../redis/guard-redis';
import type { SagaCursor, StepJobRef, Transition } from '../store/transition';
import type { SagaQueues } from './saga-queues';
import { SAGA_BACKOFF, retryDelay, stepJobId, stepJobName, timerJobId, type StepJobData } from './step-job';

/** How many finished jobs BullMQ keeps for Bull Board; the saga's own history is kept regardless. */
const KEEP_COMPLETED_JOBS = { count: 1_000 };
const KEEP_FAILED_JOBS = { count: 5_000 };
/** How long a start waits for a connection that is still being made. */
const CONNECT_TIMEOUT_MS = 1_000;

/** A job to add: where, what, and with which options. */
interface StepJob {
  sagaName: string;
  name: string;
  data: StepJobData;
  options: JobsOptions;
}

/** Adds the job that moves a saga from its cursor; idempotent, since the job id is derived from the cursor. */
export class StepDispatcher {
  constructor(private readonly queues: SagaQueues) {}

  /**
   * Acts on a transition that no job goes on from: adds the job for where the saga stands now (for a stale
   * transition, this re-adds a job lost to a crash). A finished or parked saga needs none. For a waiting saga the
   * job is its wait step's: if a crash cut the parking short (no timer yet), that job parks it again; if the wait
   * is set up, the job id is taken already, or the job finds it waiting and only checks the timer and kept events.
   */
  async follow(definition: SagaDefinition, sagaId: string, transition: Transition): Promise<void> {
    if (transition.outcome === 'missing') return;
    await this.dispatch(definition, sagaId, transition.cursor);
  }

  /** Adds the timer job that ends a wait (or sleep) step after `delayMs`. Idempotent, as step jobs. */
  async dispatchTimer(definition: SagaDefinition, ref: StepJobRef, delayMs: number): Promise<void> {
    const step = definition.steps[ref.index];
    const data: StepJobData = { ...ref, saga: definition.name, version: definition.version, timer: true };
    await guardRedis(() =>
      this.queues.get(definition.name).add(`${step.name}.timer`, data, {
        jobId: timerJobId(ref, step.name),
        delay: Math.max(0, delayMs),
        attempts: 5,
        backoff: { type: 'exponential', delay: 1_000 },
        removeOnComplete: KEEP_COMPLETED_JOBS,
        removeOnFail: KEEP_FAILED_JOBS,
      }),
    );
  }

  /**
   * @param attemptsMade - attempts of the cursor's step made already (by a job that went on to it); its job
   * then waits the backoff and has only the remaining attempts
   */
  async dispatch(definition: SagaDefinition, sagaId: string, cursor: SagaCursor, attemptsMade = 0): Promise<void> {
    const job = this.jobFor(definition, sagaId, cursor, attemptsMade);
    if (!job) return;
    await guardRedis(() => this.queues.get(job.sagaName).add(job.name, job.data, job.options));
  }

  /** Removes a wait's timer job once the wait has ended otherwise; a timer left behind would only find it ended. */
  async removeTimer(definition: SagaDefinition, ref: StepJobRef): Promise<void> {
    const id = timerJobId(ref, definition.steps[ref.index].name);
    await guardRedis(() => this.queues.get(definition.name).remove(id)).catch(() => undefined);
  }

  /**
   * Opens a MULTI on the saga queue's connection in which BullMQ can add jobs, so that a job is added in the same
   * atomic step as the saga's own writes (see {@link addToTransaction}).
   */
  async transaction(definition: SagaDefinition): Promise<ChainableCommander> {
    // BullMQ waits for ever for a connection that has never been ready (Redis down or refusing the login at boot):
    // a start is refused instead, as it is during a later outage.
    if (!(await this.queues.connected(CONNECT_TIMEOUT_MS))) {
      throw new StoreUnavailableError(new Error('the Redis connection is not ready'));
    }
    const client = await guardRedis(() => this.queues.get(definition.name).getBackend().client);
    // BullMQ wraps the ioredis connection; its MULTI is an ioredis MULTI that also carries BullMQ's commands.
    return client.multi() as unknown as ChainableCommander;
  }

  /** Queues the job's insertion on a {@link transaction}; failures surface from the transaction's `exec`. */
  addToTransaction(
    transaction: ChainableCommander,
    definition: SagaDefinition,
    sagaId: string,
    cursor: SagaCursor,
  ): void {
    const job = this.jobFor(definition, sagaId, cursor);
    if (!job) return;
    const queue = this.queues.get(job.sagaName);
    const bullTransaction = transaction as unknown as IRedisTransaction;
    new Job(queue, job.name, job.data, job.options, job.options.jobId).addJob(bullTransaction).catch(() => undefined);
  }

  private jobFor(
    definition: SagaDefinition,
    sagaId: string,
    cursor: SagaCursor,
    attemptsMade = 0,
  ): StepJob | undefined {
    if ((cursor.phase !== 'run' && cursor.phase !== 'compensate') || cursor.index === undefined) return undefined;
    const step = definition.steps[cursor.index];
    const options = cursor.phase === 'run' ? step.run : step.compensation;
    const data: StepJobData = {
      sagaId,
      saga: definition.name,
      version: definition.version,
      phase: cursor.phase,
      index: cursor.index,
      gen: cursor.gen,
      ...(attemptsMade > 0 && { attemptOffset: attemptsMade }),
    };
    return {
      sagaName: definition.name,
      name: stepJobName(cursor.phase, step.name),
      data,
      options: {
        jobId: stepJobId(data, step.name),
        attempts: options.attempts - attemptsMade,
        backoff: { type: SAGA_BACKOFF },
        ...(attemptsMade > 0 && { delay: retryDelay(options.backoff, attemptsMade) }),
        removeOnComplete: KEEP_COMPLETED_JOBS,
        removeOnFail: KEEP_FAILED_JOBS,
      },
    };
  }
}
