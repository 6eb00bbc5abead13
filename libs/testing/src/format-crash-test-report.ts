import type { CrashRunResult, CrashTestReport } from './crash-test-report.interface';

/**
 * The report as a few lines for a log: a summary line, then per scenario one line per run with its verdict, the
 * saga's final status and the run's time.
 * @example
 * ```
 * crash test of saga "transfer": 18 runs (2 undisturbed, 16 crashes), 0 violated, 23.0 s
 * a transfer between open accounts (expect completed): 6 points run
 *   ok        undisturbed                                     completed     1.0 s
 *   ok        transfer/debitSource/run/begun                  completed     3.2 s
 * ```
 * @publicApi
 */
export function formatCrashTestReport(report: CrashTestReport): string {
  const all = report.scenarios.flatMap((scenario) => [scenario.undisturbed, ...scenario.runs]);
  const widths = {
    label: Math.max(...all.map((run) => run.label.length)),
    status: Math.max(...all.map((run) => (run.status ?? '-').length)),
  };
  const crashes = all.length - report.scenarios.length;
  const lines = [
    `crash test of saga "${report.saga}": ${report.runs} runs (${report.scenarios.length} undisturbed, ${crashes} ` +
      `crashes), ${report.violated} violated, ${seconds(report.durationMs)}`,
  ];
  for (const scenario of report.scenarios) {
    const unreached = scenario.unreached.length ? `; ${scenario.unreached.length} asked for, not reached` : '';
    lines.push(`${scenario.scenario} (expect ${scenario.expect}): ${scenario.runs.length} points run${unreached}`);
    for (const run of [scenario.undisturbed, ...scenario.runs]) lines.push(formatRun(run, widths));
  }
  return lines.join('\n');
}

function formatRun(run: CrashRunResult, widths: { label: number; status: number }): string {
  const verdict = run.violations.length ? 'VIOLATED' : 'ok';
  const kinds = run.violations.length ? ` (${run.violations.map((violation) => violation.kind).join(', ')})` : '';
  const status = (run.status ?? '-').padEnd(widths.status);
  return `  ${verdict.padEnd(8)}  ${run.label.padEnd(widths.label)}  ${status}  ${seconds(run.durationMs)}${kinds}`;
}

function seconds(ms: number): string {
  return `${(ms / 1_000).toFixed(1)} s`;
}
