import { randomUUID } from 'node:crypto';
import type { SagaRecord } from '@sagaflow/core';
import type { SagaflowSystem } from '../support/apps';
import { waitFor } from '../support/wait-for';

export const TERMINAL = ['completed', 'compensated', 'compensation_failed'];

/** A valid transfer input; each call has its own transfer id. */
export function transfer(overrides: Record<string, unknown> = {}) {
  return {
    transferId: `tr-${randomUUID().slice(0, 8)}`,
    fromAccount: 'acct-alice',
    toAccount: 'acct-bob',
    amountCents: 1_000,
    ...overrides,
  };
}

export async function startSaga(system: SagaflowSystem, name: string, input: object): Promise<string> {
  const { status, body } = await system.request<{ id: string }>('POST', `/sagas/${name}`, input);
  if (status !== 202) throw new Error(`POST /sagas/${name} answered ${status}: ${JSON.stringify(body)}`);
  return body.id;
}

export async function readSaga(system: SagaflowSystem, id: string): Promise<SagaRecord> {
  return (await system.request<SagaRecord>('GET', `/sagas/${id}`)).body;
}

export function waitForSaga(
  system: SagaflowSystem,
  id: string,
  done: (saga: SagaRecord) => boolean = (saga) => TERMINAL.includes(saga.status),
  timeoutMs = 30_000,
): Promise<SagaRecord> {
  return waitFor(() => readSaga(system, id), done, { timeoutMs, intervalMs: 100 });
}

export async function totalBalance(system: SagaflowSystem): Promise<number> {
  return (await system.request<{ totalCents: number }>('GET', '/demo/accounts')).body.totalCents;
}

export async function applications(system: SagaflowSystem, idempotencyKey: string): Promise<number> {
  const { status, body } = await system.request<{ applications: number }>(
    'GET',
    `/demo/ledger/${encodeURIComponent(idempotencyKey)}`,
  );
  return status === 404 ? 0 : body.applications;
}
