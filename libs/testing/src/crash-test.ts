import { Redis } from 'ioredis';
import type { CrashTestOptions } from './crash-test-options.interface';
import type { CrashTestReport } from './crash-test-report.interface';
import { CrashTestRunner } from './crash-test-runner';
import { InvalidCrashTestOptionsError } from './errors/invalid-crash-test-options.error';
import { validateCrashTestOptions } from './validate-crash-test-options';

/**
 * Crash-tests a saga against a real Redis and your real worker processes. For each scenario it runs the saga once
 * undisturbed, to learn which crash points it passes (each step's run and compensation, at `begun`, `ran` and
 * `recorded`). Then, for each of those points, one run: a worker started with `SAGAFLOW_CRASH_AT` kills itself
 * (SIGKILL) there, a healthy worker takes over, and once the saga is final and its jobs settled your invariants
 * are checked. Nothing is thrown for what a run finds: see the report, or pass it to {@link assertNoViolations}.
 *
 * @example
 * ```ts
 * const report = await crashTest({
 *   saga: transferSaga,
 *   worker: { command: process.execPath, args: ['dist/worker/main.js'] },
 *   redisUrl: 'redis://127.0.0.1:6379',
 *   prefix: 'crash-transfer',
 *   scenarios: [{ name: 'completes', expect: 'completed', input: openAccountsAndTransfer }],
 *   invariants: async ({ redis, prefix, sagaId }) => {
 *     const bank = new BankGateway(redis, prefix);
 *     expect(await bank.applications(`${sagaId}:debitSource:run`)).toBe(1);
 *   },
 * });
 * assertNoViolations(report);
 * ```
 * @typeParam I - the saga's input type
 * @throws InvalidCrashTestOptionsError before anything runs, when the options cannot work or Redis does not answer
 * @publicApi
 */
export async function crashTest<I extends object>(options: CrashTestOptions<I>): Promise<CrashTestReport> {
  const resolved = validateCrashTestOptions(options);
  const redis = new Redis(resolved.redisUrl, { maxRetriesPerRequest: 3 });
  // Connection errors reach the commands that fail; the events would only repeat them.
  redis.on('error', () => undefined);
  try {
    await redis.ping().catch((error: Error) => {
      throw new InvalidCrashTestOptionsError('redisUrl', `Redis does not answer there (${error.message}).`);
    });
    return await new CrashTestRunner(resolved, redis).run();
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}
