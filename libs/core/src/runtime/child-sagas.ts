import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CHILD_COMPLETED_EVENT, type SagaDefinition, type StepDefinition } from '../definition/saga-definition';
import type { SagaData } from '../definition/saga-step';
import { SagaErrorCode } from '../errors/error-codes';
import { PermanentError } from '../errors/permanent.error';
import { SagaInputInvalidError } from '../errors/saga-input-invalid.error';
import { SagaPastPivotError } from '../errors/saga-past-pivot.error';
import { SagaStateConflictError } from '../errors/saga-state-conflict.error';
import type { RedisSagaStore } from '../store/redis-saga-store';
import type { SagaParent, SagaStatus } from '../store/saga-record';
import type { SagaCursor, TraceCarrier } from '../store/transition';
import type { SagaClient } from './saga-client';
import type { SagaRegistry } from '../definition/saga-registry';
import type { StepDispatcher } from '../queues/step-dispatcher';

/** How often a compensation waiting for its child to be compensated looks again. */
const UNDO_POLL_MS = 200;

/**
 * Child sagas: a parent's step starts a saga of its own and waits (as for an event) until it ends. The child
 * records its parent; when it ends, the transition that ended it is followed by {@link childEnded}, which ends the
 * parent's wait: with the child's outputs when it completed, as a failure when it was compensated. A child that
 * ends before its parent has parked is found by the parent right after parking ({@link settle}), so neither order
 * loses the end. A crash in between is covered by the child's job, redelivered, whose stale transition is
 * followed again.
 * @publicApi
 */
export class ChildSagas {
  constructor(
    private readonly registry: SagaRegistry,
    private readonly store: RedisSagaStore,
    private readonly dispatcher: StepDispatcher,
    private readonly client: SagaClient,
  ) {
    dispatcher.onFinished((definition, sagaId, cursor) => this.childEnded(definition, sagaId, cursor));
  }

  /**
   * Starts the child of a parent's step, once: its id is derived from the parent's and the step's, so a step that
   * runs again finds it started. Returns the child's id.
   * @param trace - the parent's trace context, which the child's trace continues
   */
  async start(
    parentId: string,
    step: StepDefinition,
    data: SagaData<never, never>,
    trace?: TraceCarrier,
  ): Promise<string> {
    const child = step.child as NonNullable<StepDefinition['child']>;
    const id = childSagaId(parentId, step.name);
    await this.client
      .startChild(child.saga, child.input(data), id, { id: parentId, step: step.name }, trace)
      .catch((error: unknown) => {
        // Starting again cannot make an input valid.
        if (error instanceof SagaInputInvalidError) throw new PermanentError(error.message, { cause: error });
        throw error;
      });
    return id;
  }

  /** Ends the parent's wait if the child has ended already; nothing otherwise. */
  async settle(childId: string): Promise<void> {
    const link = await this.store.childLink(childId);
    if (link) await this.endWait(childId, link.status, link.parent);
  }

  /**
   * Undoes a child, as the compensation of the step that started it: cancels it while it runs, compensates it as
   * a whole once completed, and returns when it is compensated (or was never started). Waits meanwhile, until
   * `signal` (the attempt's timeout) aborts.
   * @throws when the child's own compensation failed for good, or the wait is aborted; the attempt is retried
   */
  async undo(childId: string, signal: AbortSignal): Promise<void> {
    for (;;) {
      const head = await this.store.head(childId);
      if (!head || head.cursor.status === 'compensated') return;
      const { status } = head.cursor;
      if (status === 'compensation_failed') {
        throw Object.assign(new Error(`Child saga ${childId} could not be compensated; an operator must act on it.`), {
          code: SagaErrorCode.ChildSagaNotUndone,
        });
      }
      if (status === 'completed') {
        const reopened = await this.store.compensateCompleted(childId, 'its parent saga compensates');
        // Without the child's version here, its compensation job is left to the sweeper of a process that has it.
        const definition = this.registry.find(head.name, head.version);
        if (reopened.outcome === 'applied' && definition) {
          await this.dispatcher.follow(definition, childId, { outcome: 'applied', cursor: reopened.cursor });
        }
        continue;
      }
      if (status === 'queued' || status === 'running' || status === 'waiting') await this.cancel(childId);
      await sleep(UNDO_POLL_MS, undefined, { signal });
    }
  }

  /** Cancels a running child; one past a step without compensation cannot be, and is undone once it completes. */
  private async cancel(childId: string): Promise<void> {
    try {
      await this.client.cancel(childId, 'its parent saga compensates');
    } catch (error) {
      if (!(error instanceof SagaPastPivotError || error instanceof SagaStateConflictError)) throw error;
    }
  }

  private async childEnded(definition: SagaDefinition, sagaId: string, cursor: SagaCursor): Promise<void> {
    // Only the ends of sagas that some registered saga starts as children are looked at.
    if (!this.registry.startsAsChild(definition.name)) return;
    const link = await this.store.childLink(sagaId);
    if (link) await this.endWait(sagaId, cursor.status, link.parent);
  }

  /** Ends the parent's wait for a child that has completed or been compensated; nothing for a child still going. */
  private async endWait(childId: string, status: SagaStatus, parent: SagaParent): Promise<void> {
    if (status !== 'completed' && status !== 'compensated') return;
    const head = await this.store.head(parent.id);
    const definition = head && this.registry.find(head.name, head.version);
    if (!head || !definition || head.cursor.status !== 'waiting' || head.cursor.index === undefined) return;
    if (definition.steps[head.cursor.index].name !== parent.step) return;
    const ended =
      status === 'completed'
        ? await this.store.deliver(parent.id, {
            id: `${childId}.completed`,
            type: CHILD_COMPLETED_EVENT,
            key: childId,
            payload: await this.outputs(childId),
          })
        : await this.store.expire(
            { sagaId: parent.id, phase: 'run', index: head.cursor.index, gen: head.cursor.gen },
            parent.step,
            'failed',
            {
              name: 'ChildSagaFailedError',
              message: `Child saga ${childId} ended compensated.`,
              code: SagaErrorCode.ChildSagaFailed,
            },
          );
    await this.dispatcher.follow(definition, parent.id, ended);
  }

  /** A completed child's outputs by step name: what its parent's step outputs. */
  private async outputs(childId: string): Promise<Record<string, unknown>> {
    const child = await this.client.get(childId);
    return Object.fromEntries(child.steps.map((step) => [step.name, step.output ?? null]));
  }
}

/**
 * The id of the child a parent's step starts: a UUID v7 with the parent's creation time (so the child lists beside
 * it) and bits of a hash of the parent's id and the step's name, so the step finds the same child every time.
 */
export function childSagaId(parentId: string, stepName: string): string {
  const hash = createHash('sha256').update(`${parentId}/${stepName}`).digest('hex');
  const variant = ((parseInt(hash[3], 16) & 0x3) | 0x8).toString(16);
  return `${parentId.slice(0, 13)}-7${hash.slice(0, 3)}-${variant}${hash.slice(4, 7)}-${hash.slice(7, 19)}`;
}
