import { formatReport, runChaos, type ChaosReport } from './chaos-run';

/**
 * The chaos run (see chaos-run.ts). `npm test` runs a small one; `npm run chaos` the full one, with its sizes from
 * the environment: CHAOS_SAGAS (default 200), CHAOS_KILL_EVERY_MS (default 1000), CHAOS_RATE
 * (sagas started per second, default 20), CHAOS_IN_FLIGHT (default 40),
 * CHAOS_SEED (default random), CHAOS_VERBOSE=1 for progress lines on stderr, CHAOS_KEEP_LOGS=1 to keep every
 * process' log.
 */
const SAGAS = positive('CHAOS_SAGAS', 200);
const KILL_EVERY_MS = positive('CHAOS_KILL_EVERY_MS', 1_000);
const RATE = positive('CHAOS_RATE', 20);
const IN_FLIGHT = positive('CHAOS_IN_FLIGHT', 40);
const SEED = process.env.CHAOS_SEED ? positive('CHAOS_SEED', 1, 0) : undefined;
// runChaos bounds its own waits (30 s per saga, 120 s after the last kill); this only stops a run that hangs.
const TIMEOUT_MS = 240_000 + SAGAS * 600;

describe('chaos: workers SIGKILLed about every second while transfers and checkouts run', () => {
  it(
    `loses no saga, ends them all, applies no effect twice, and conserves money and stock (${SAGAS} sagas)`,
    async () => {
      const report = await runChaos({
        sagas: SAGAS,
        killEveryMs: KILL_EVERY_MS,
        rate: RATE,
        inFlight: IN_FLIGHT,
        seed: SEED,
        keepLogs: process.env.CHAOS_KEEP_LOGS === '1',
        progress: process.env.CHAOS_VERBOSE === '1' ? (line) => process.stderr.write(line) : undefined,
      });
      // Jest buffers console.log; a write to stdout shows in CI's output as it is.
      process.stdout.write(`\n${formatReport(report)}\n`);
      if (report.problems.length > 0) process.stdout.write(describeProblems(report));
      else if (report.diagnosticsDir) process.stdout.write(`chaos: logs in ${report.diagnosticsDir}\n`);

      expect(report.sagasStarted).toBe(SAGAS);
      expect(report.workerKills).toBeGreaterThanOrEqual(3);
      expect({
        sagasLost: report.sagasLost,
        sagasNotTerminal: report.sagasNotTerminal,
        effectsAppliedTwice: report.effectsAppliedTwice,
        balanceDrift: report.balanceDrift,
        stockDrift: report.stockDrift,
        startFailures: report.startFailures,
        otherInconsistencies: report.otherInconsistencies,
        unexpectedOutcomes: report.unexpectedOutcomes,
      }).toEqual({
        sagasLost: 0,
        sagasNotTerminal: 0,
        effectsAppliedTwice: 0,
        balanceDrift: 0,
        stockDrift: 0,
        startFailures: 0,
        otherInconsistencies: 0,
        unexpectedOutcomes: 0,
      });
    },
    TIMEOUT_MS,
  );
});

function describeProblems(report: ChaosReport): string {
  const shown = report.problems
    .slice(0, 20)
    .map((problem) => `  - ${problem.what}${problem.sagaId ? ` (saga ${problem.sagaId}, ${problem.kind})` : ''}`);
  const more = report.problems.length > shown.length ? [`  … and ${report.problems.length - shown.length} more`] : [];
  return [
    `chaos: ${report.problems.length} problems (seed ${report.seed}); records, log lines and every process' log in ${report.diagnosticsDir}`,
    ...shown,
    ...more,
    '',
  ].join('\n');
}

function positive(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min)
    throw new Error(`${name} must be an integer of at least ${min}, got "${raw}".`);
  return value;
}
