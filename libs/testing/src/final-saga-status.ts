import type { SagaStatus } from '@sagaflow/core';

/**
 * The statuses a saga ends in: a crash test waits for one of them after every run.
 * @publicApi
 */
export type FinalSagaStatus = Extract<SagaStatus, 'completed' | 'compensated' | 'compensation_failed'>;

/** @publicApi */
export const FINAL_SAGA_STATUSES: readonly FinalSagaStatus[] = ['completed', 'compensated', 'compensation_failed'];
