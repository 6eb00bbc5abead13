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

/** Starts a transfer again and again until one is accepted (202), as a client retrying through an outage; its id. */
export async function startOnceAccepted(system: SagaflowSystem): Promise<string> {
  const accepted = await waitFor(
    () => system.request<{ id: string }>('POST', '/sagas/transfer', transfer()),
    (answer) => answer.status === 202,
    { timeoutMs: 20_000, intervalMs: 100 },
  );
  return accepted.body.id;
}

/** How many of these sagas completed after a moment (by the time of their `saga.completed` history entry). */
export async function completedAfter(system: SagaflowSystem, ids: readonly string[], at: number): Promise<number> {
  const completedAt = async (id: string) =>
    Date.parse((await readSaga(system, id)).history.find((entry) => entry.type === 'saga.completed')?.at ?? '');
  return (await Promise.all(ids.map(completedAt))).filter((time) => time > at).length;
}

/**
 * Starts four transfers, then six slow ones side by side (their credit waits 1.5 s), so that some are still in
 * flight a while later, through a failover; their ids.
 */
export async function startTransfersInFlight(system: SagaflowSystem): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) ids.push(await startSaga(system, 'transfer', transfer()));
  const slow = Array.from({ length: 6 }, () => startSaga(system, 'transfer', transfer({ reference: 'slow' })));
  return [...ids, ...(await Promise.all(slow))];
}

/**
 * What a failover test checks at the end: every saga accepted completed, the bank's total is unchanged, some of
 * those started before the kill were still in flight then and completed after it, and no process died.
 */
export async function expectCompletedThroughFailover(
  system: SagaflowSystem,
  {
    accepted,
    startedBeforeKill,
    killedAt,
    totalBefore,
  }: {
    accepted: readonly string[];
    startedBeforeKill: readonly string[];
    killedAt: number;
    totalBefore: number;
  },
): Promise<void> {
  // A saga that does not complete fails the test with its history and what the workers said, to find out why.
  const workerLogs = () => system.workers.map((worker, i) => `worker ${i}:\n${worker.log.slice(-4_000)}`).join('\n');
  for (const id of accepted) {
    const saga = await waitForSaga(system, id, undefined, 60_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${workerLogs()}`);
    });
    if (saga.status !== 'completed') {
      const history = saga.history.map((entry) => JSON.stringify(entry)).join('\n');
      throw new Error(`Saga ${id} ended ${saga.status}:\n${history}\n${workerLogs()}`);
    }
  }
  expect(await totalBalance(system)).toBe(totalBefore);
  expect(await completedAfter(system, startedBeforeKill, killedAt)).toBeGreaterThan(0);
  expect([system.api, ...system.workers].every((process) => process.running)).toBe(true);
}
