import type { Phase, StepJobRef } from '../store/transition';

/**
 * The data of a step job: the cursor it was created for, and which definition runs it. Kept small: the saga's
 * input and outputs are read from the saga state when the attempt begins.
 */
export interface StepJobData extends StepJobRef {
  saga: string;
  version: number;
}

/** One BullMQ queue per saga name. */
export function queueName(sagaName: string): string {
  return `saga-${sagaName}`;
}

/**
 * Deterministic, so adding the job for a cursor twice adds it once. BullMQ ids may not contain `:`.
 */
export function stepJobId(ref: StepJobRef, stepName: string): string {
  return `${ref.sagaId}|${ref.phase}|${stepName}|${ref.gen}`;
}

/** Shown in Bull Board: the step, and whether this is its compensation. */
export function stepJobName(phase: Phase, stepName: string): string {
  return phase === 'run' ? stepName : `${stepName}.compensate`;
}
