import type { SagaDefinition } from '../definition/saga-definition';
import type { ResolvedPhaseOptions } from '../definition/step-options';
import type { Phase, StepJobRef } from '../store/transition';

/**
 * The data of a step job: the cursor it was created for, and which definition runs it. Kept small: the saga's
 * input and outputs are read from the saga state when the attempt begins.
 */
export interface StepJobData extends StepJobRef {
  saga: string;
  version: number;
  /**
   * Attempts of this step made before this job, in the job that reached the step by going on from the one
   * before it; 0 or absent otherwise.
   */
  attemptOffset?: number;
  /** Set on the timer job of a wait or sleep step: it ends the wait when it runs. */
  timer?: true;
}

/** The backoff type of step jobs, computed by {@link retryDelay} so that earlier attempts count. */
export const SAGA_BACKOFF = 'sagaflow';

/** The wait after failed attempt `attempt` (1 for the first) of a phase with this backoff. */
export function retryDelay(backoff: ResolvedPhaseOptions['backoff'], attempt: number): number {
  return backoff.type === 'fixed' ? backoff.delayMs : backoff.delayMs * 2 ** (attempt - 1);
}

/** One BullMQ queue per saga name, for the steps of the default pool, and its timers. */
export function queueName(sagaName: string): string {
  return `saga-${sagaName}`;
}

/** One BullMQ queue per named worker pool, shared by the steps of every saga that run in it. */
export function poolQueueName(pool: string): string {
  return `pool-${pool}`;
}

/** The named pools the steps of these definitions run in. */
export function poolsOf(definitions: readonly SagaDefinition[]): string[] {
  return [...new Set(definitions.flatMap((definition) => definition.steps.flatMap((step) => step.pool ?? [])))];
}

/**
 * Deterministic, so adding the job for a cursor twice adds it once. BullMQ ids may not contain `:`.
 */
export function stepJobId(ref: StepJobRef, stepName: string): string {
  return `${ref.sagaId}|${ref.phase}|${stepName}|${ref.gen}`;
}

/** The id of the delayed job that ends a wait or sleep step at its deadline. */
export function timerJobId(ref: StepJobRef, stepName: string): string {
  return `${stepJobId(ref, stepName)}|timer`;
}

/** Shown in Bull Board: the step, and whether this is its compensation. */
export function stepJobName(phase: Phase, stepName: string): string {
  return phase === 'run' ? stepName : `${stepName}.compensate`;
}
