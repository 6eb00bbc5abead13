import type { CrashRunResult, CrashTestReport } from './crash-test-report.interface';

/**
 * The report as a few lines for a log: a summary line, then per scenario one line per run with its outcome.
 * @example
 * ```
 * crash test of saga "transfer": 18 runs (2 undisturbed, 16 crashes), 0 violated, 21.4 s
 * completes (expect completed): 6 of 6 reached points
 *   ok        undisturbed                                  completed      1.1 s
 *   ok        transfer/debitSource/run/begun               completed      2.3 s
 * ```
 * @publicApi
 */
export function formatCrashTestReport(report: CrashTestReport): string {
  const crashes = report.scenarios.reduce((sum, scenario) => sum + scenario.runs.length, 0);
  const lines = [
    `crash test of saga "${report.saga}": ${report.runs} runs (${report.scenarios.length} undisturbed, ${crashes} ` +
      `crashes), ${report.violated} violated, ${seconds(report.durationMs)}`,
  ];
  for (const scenario of report.scenarios) {
    const unreached = scenario.unreached.length ? `; ${scenario.unreached.length} asked for, not reached` : '';
    lines.push(`${scenario.scenario} (expect ${scenario.expect}): ${scenario.runs.length} points run${unreached}`);
    for (const run of [scenario.undisturbed, ...scenario.runs]) lines.push(formatRun(run));
  }
  return lines.join('\n');
}

function formatRun(run: CrashRunResult): string {
  const verdict = run.violations.length ? 'VIOLATED' : 'ok';
  const kinds = run.violations.length ? ` (${run.violations.map((violation) => violation.kind).join(', ')})` : '';
  return `  ${verdict.padEnd(9)} ${run.label.padEnd(45)} ${(run.status ?? '-').padEnd(20)} ${seconds(run.durationMs)}${kinds}`;
}

function seconds(ms: number): string {
  return `${(ms / 1_000).toFixed(1)} s`;
}
