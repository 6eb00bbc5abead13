jest.mock('@nestjs/common', () => jest.requireActual('./fixtures/nest-common.stub'));

import { randomUUID } from 'node:crypto';
import {
  assertNoViolations,
  crashTest,
  formatCrashTestReport,
  type CrashTestReport,
  type CrashTestRun,
  type Invariant,
} from '@sagaflow/testing';
// The gateway's and the definition's own files, not the package index: the index also exports the Nest module.
import { BankGateway } from '../../libs/samples/src/transfer/gateways/bank.gateway';
import type { TransferInput } from '../../libs/samples/src/transfer/input/transfer.input';
import { transferSaga } from '../../libs/samples/src/transfer/transfer.saga';
import { REDIS_URL, uniquePrefix } from '../support/redis';
import { sampleWorker } from './sample-worker';

const OPENING_CENTS = 10_000;
const AMOUNT_CENTS = 2_500;

/** Opens two fresh accounts under the run's prefix (or only the source, for a closed destination). */
function transferTo(destination: 'open' | 'closed') {
  return async ({ redis, prefix }: CrashTestRun): Promise<TransferInput> => {
    const id = randomUUID().slice(0, 8);
    const bank = new BankGateway(redis, prefix);
    const fromAccount = `acct-from-${id}`;
    const toAccount = destination === 'open' ? `acct-to-${id}` : `closed-${id}`;
    await bank.openAccount(fromAccount, OPENING_CENTS);
    await bank.openAccount(toAccount, destination === 'open' ? OPENING_CENTS : 0);
    return { transferId: `tr-${id}`, fromAccount, toAccount, amountCents: AMOUNT_CENTS };
  };
}

/** Money: moved exactly once when the transfer completed, all back where it was when it compensated. */
const moneyInvariants: Invariant<TransferInput> = async ({ redis, prefix, sagaId, input, record }) => {
  const bank = new BankGateway(redis, prefix);
  const balance = async (account: string) => (await bank.getAccount(account))?.balanceCents;
  const applied = (step: string, phase: 'run' | 'compensate') => bank.applications(`${sagaId}:${step}:${phase}`);
  const [from, to] = [await balance(input.fromAccount), await balance(input.toAccount)];

  expect(await bank.keysAppliedMoreThanOnce()).toEqual([]);
  if (record.status === 'completed') {
    expect({ from, to }).toEqual({ from: OPENING_CENTS - AMOUNT_CENTS, to: OPENING_CENTS + AMOUNT_CENTS });
    expect([await applied('debitSource', 'run'), await applied('creditDestination', 'run')]).toEqual([1, 1]);
  } else {
    const opening = input.toAccount.startsWith('closed-') ? 0 : OPENING_CENTS;
    expect({ from, to }).toEqual({ from: OPENING_CENTS, to: opening });
    // The debit gave back exactly once, the credit to the closed account never applied.
    expect([await applied('debitSource', 'run'), await applied('debitSource', 'compensate')]).toEqual([1, 1]);
    expect(await applied('creditDestination', 'run')).toBe(0);
  }
};

describe('crash-testing the transfer saga with the built worker', () => {
  let report: CrashTestReport;

  beforeAll(async () => {
    report = await crashTest({
      saga: transferSaga,
      worker: sampleWorker(),
      redisUrl: REDIS_URL,
      prefix: uniquePrefix(),
      // A replacement worker boots in seconds on a quiet machine, in 20 s or more on a loaded one (CI).
      runTimeoutMs: 60_000,
      scenarios: [
        { name: 'a transfer between open accounts', expect: 'completed', input: transferTo('open') },
        { name: 'a transfer to a closed account', expect: 'compensated', input: transferTo('closed') },
      ],
      invariants: moneyInvariants,
    });
    process.stderr.write(`${formatCrashTestReport(report)}\n`);
  }, 600_000);

  it('crashes a worker at every point each scenario reaches: 6 for the completing one, 10 for the compensating one', () => {
    const [completing, compensating] = report.scenarios;
    expect(completing.reached.map((point) => `${point.step}/${point.phase}/${point.at}`)).toEqual([
      'debitSource/run/begun',
      'debitSource/run/ran',
      'debitSource/run/recorded',
      'creditDestination/run/begun',
      'creditDestination/run/ran',
      'creditDestination/run/recorded',
    ]);
    expect(compensating.reached.map((point) => `${point.step}/${point.phase}/${point.at}`)).toEqual([
      'debitSource/run/begun',
      'debitSource/run/ran',
      'debitSource/run/recorded',
      'creditDestination/run/begun',
      'creditDestination/compensate/begun',
      'creditDestination/compensate/ran',
      'creditDestination/compensate/recorded',
      'debitSource/compensate/begun',
      'debitSource/compensate/ran',
      'debitSource/compensate/recorded',
    ]);
    const runs = report.scenarios.flatMap((scenario) => scenario.runs);
    expect(runs).toHaveLength(16);
    expect(runs.filter((run) => !run.crashed).map((run) => run.label)).toEqual([]);
  });

  it('finds the money moved exactly once, or given back, after every crash', () => {
    assertNoViolations(report);
    expect(report.scenarios.map((scenario) => scenario.runs.map((run) => run.status))).toEqual([
      Array(6).fill('completed'),
      Array(10).fill('compensated'),
    ]);
  });
});
