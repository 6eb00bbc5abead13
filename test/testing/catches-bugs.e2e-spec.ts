import { randomUUID } from 'node:crypto';
import {
  CrashTestViolationsError,
  assertNoViolations,
  crashTest,
  formatCrashTestReport,
  violatedRuns,
  type CrashTestReport,
  type CrashTestWorker,
  type Invariant,
} from '@sagaflow/testing';
import { REDIS_URL, connect, keysUnder, uniquePrefix } from '../support/redis';
import { buildCounterWorker } from './fixtures/build-counter-worker';
import { counterKey, counterSaga, type CounterInput } from './fixtures/counter.saga';

/** Each step counts once per saga, however often the worker crashes. */
const countedOnce: Invariant<CounterInput> = async ({ redis, prefix, sagaId }) => {
  for (const step of ['countOnce', 'countEveryTime'] as const) {
    const counted = Number((await redis.get(counterKey(prefix, sagaId, step))) ?? 0);
    if (counted !== 1) throw new Error(`${step} counted ${counted} times for one saga; it must count once.`);
  }
};

const counting = (worker: () => CrashTestWorker, prefix: string) => ({
  saga: counterSaga,
  worker: worker(),
  redisUrl: REDIS_URL,
  prefix,
  scenarios: [{ name: 'counting', expect: 'completed' as const, input: () => ({ label: randomUUID().slice(0, 8) }) }],
  invariants: countedOnce,
});

describe('crashTest() on a saga with a step that is not idempotent', () => {
  let worker: CrashTestWorker;
  let report: CrashTestReport;
  const prefix = uniquePrefix();

  beforeAll(async () => {
    worker = buildCounterWorker();
    report = await crashTest(counting(() => worker, prefix));
    process.stderr.write(`${formatCrashTestReport(report)}\n`);
  }, 120_000);

  it('reports the step that counts again, at the crash after it ran and before it was recorded, and only there', () => {
    expect(report.scenarios[0].reached).toHaveLength(6);
    expect(report.scenarios[0].runs.every((run) => run.crashed && run.status === 'completed')).toBe(true);
    const violated = violatedRuns(report);
    expect(violated.map((run) => run.label)).toEqual(['counter/countEveryTime/run/ran']);
    expect(violated[0].violations).toEqual([
      { kind: 'invariant', message: 'countEveryTime counted 2 times for one saga; it must count once.' },
    ]);
  });

  it('fails the assertion with one error that names the violated point and what the invariant said', () => {
    expect(() => assertNoViolations(report)).toThrow(CrashTestViolationsError);
    expect(() => assertNoViolations(report)).toThrow(
      /1 of 7 runs violated\.\n- \[counting\] counter\/countEveryTime\/run\/ran \(crashed there, saga completed;[^\n]*\n {4}invariant: countEveryTime counted 2 times/,
    );
  });

  it('leaves no key of its runs in Redis', async () => {
    const redis = connect();
    expect(await keysUnder(redis, prefix)).toEqual([]);
    expect(await keysUnder(redis, `${prefix}-*`)).toEqual([]);
    await redis.quit();
  });

  describe('when only some points are asked for', () => {
    it('runs only those, in the order the saga passes them', async () => {
      const only = await crashTest({
        ...counting(() => worker, uniquePrefix()),
        points: ['counter/countEveryTime/run/ran', { saga: 'counter', step: 'countOnce', phase: 'run', at: 'begun' }],
      });
      expect(only.scenarios[0].runs.map((run) => [run.label, run.violations.length])).toEqual([
        ['counter/countOnce/run/begun', 0],
        ['counter/countEveryTime/run/ran', 1],
      ]);
      expect(only.scenarios[0].unreached).toEqual([]);
    }, 60_000);
  });

  describe('when the worker process cannot run the saga', () => {
    it('reports the undisturbed run as violated with the exit and the output, and runs no point', async () => {
      const broken = () => ({
        command: process.execPath,
        args: ['-e', 'console.error("no saga here"); process.exit(3)'],
      });
      const failed = await crashTest({ ...counting(broken, uniquePrefix()), runTimeoutMs: 10_000 });
      const [scenario] = failed.scenarios;
      expect(scenario.runs).toEqual([]);
      expect(scenario.undisturbed.violations).toEqual([
        { kind: 'worker', message: expect.stringMatching(/ended on its own \(exit code 3\)[^]*\| no saga here/) },
      ]);
    }, 30_000);
  });
});
