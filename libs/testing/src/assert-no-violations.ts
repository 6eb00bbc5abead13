import type { CrashRunResult, CrashTestReport } from './crash-test-report.interface';
import { CrashTestViolationsError } from './errors/crash-test-violations.error';

/**
 * The runs of a report with at least one violation, undisturbed runs first within each scenario.
 * @publicApi
 */
export function violatedRuns(report: CrashTestReport): CrashRunResult[] {
  return report.scenarios
    .flatMap((scenario) => [scenario.undisturbed, ...scenario.runs])
    .filter((run) => run.violations.length > 0);
}

/**
 * Throws one error listing every run that broke an invariant or failed otherwise, with what it found; does
 * nothing when all runs went well.
 * @throws CrashTestViolationsError
 * @publicApi
 */
export function assertNoViolations(report: CrashTestReport): void {
  const violated = violatedRuns(report);
  if (violated.length === 0) return;
  const lines = violated.map((run) => {
    const how = run.point ? (run.crashed ? 'crashed there' : 'did not crash') : 'no crash';
    const ended = run.status ? `, saga ${run.status}` : '';
    const header = `- [${run.scenario}] ${run.label} (${how}${ended}; saga ${run.sagaId ?? 'not started'}, prefix ${run.prefix}):`;
    const found = run.violations.map(({ kind, message }) => indent(`${kind}: ${message}`, '    '));
    return [header, ...found].join('\n');
  });
  const message =
    `Crash test of saga "${report.saga}": ${violated.length} of ${report.runs} runs violated.\n` +
    `${lines.join('\n')}\n` +
    'Rerun one point alone with the `points` option, and `keepKeys: true` to look at its keys in Redis.';
  throw new CrashTestViolationsError(message, report, violated);
}

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((line, index) => (index === 0 ? by : `${by}  `) + line)
    .join('\n');
}
