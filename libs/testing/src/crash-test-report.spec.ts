import { assertNoViolations, violatedRuns } from './assert-no-violations';
import type { CrashRunResult, CrashTestReport } from './crash-test-report.interface';
import { CrashTestErrorCode, CrashTestViolationsError } from './errors';
import { formatCrashTestReport } from './format-crash-test-report';

function run(label: string, overrides: Partial<CrashRunResult> = {}): CrashRunResult {
  const [saga, step, phase, at] = label.split('/');
  return {
    scenario: 'completes',
    ...(label !== 'undisturbed' && { point: { saga, step, phase: phase as 'run', at: at as 'ran' } }),
    label,
    prefix: 'crash-1',
    sagaId: '019abf3e-7d1c-7a2b-9c3d-4e5f6a7b8c9d',
    crashed: label !== 'undisturbed',
    status: 'completed',
    violations: [],
    durationMs: 2_345,
    ...overrides,
  };
}

function report(runs: CrashRunResult[]): CrashTestReport {
  return {
    saga: 'transfer',
    scenarios: [
      {
        scenario: 'completes',
        expect: 'completed',
        undisturbed: run('undisturbed', { durationMs: 800 }),
        reached: runs.map((result) => result.point!),
        unreached: [],
        runs,
      },
    ],
    runs: runs.length + 1,
    violated: runs.filter((result) => result.violations.length).length,
    durationMs: 12_300,
  };
}

const clean = report([run('transfer/debitSource/run/begun'), run('transfer/debitSource/run/ran')]);
const broken = report([
  run('transfer/debitSource/run/begun'),
  run('transfer/debitSource/run/ran', {
    violations: [{ kind: 'invariant', message: 'debit applied 2 times\nexpected 1' }],
  }),
  run('transfer/creditDestination/run/ran', {
    crashed: false,
    status: 'running',
    violations: [
      { kind: 'no-crash', message: 'the worker did not crash' },
      { kind: 'timeout', message: 'the saga was still running after 30 s' },
    ],
  }),
]);

describe('assertNoViolations', () => {
  it('passes a report without violations', () => {
    expect(() => assertNoViolations(clean)).not.toThrow();
    expect(violatedRuns(clean)).toEqual([]);
  });

  it('throws one error listing every violated run with each finding, indented under it', () => {
    let thrown: unknown;
    try {
      assertNoViolations(broken);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CrashTestViolationsError);
    const error = thrown as CrashTestViolationsError;
    expect(error.code).toBe(CrashTestErrorCode.Violations);
    expect(error.violated.map((result) => result.label)).toEqual([
      'transfer/debitSource/run/ran',
      'transfer/creditDestination/run/ran',
    ]);
    expect(error.report).toBe(broken);
    expect(error.message).toBe(
      [
        'Crash test of saga "transfer": 2 of 4 runs violated.',
        '- [completes] transfer/debitSource/run/ran (crashed there, saga completed; saga 019abf3e-7d1c-7a2b-9c3d-4e5f6a7b8c9d, prefix crash-1):',
        '    invariant: debit applied 2 times',
        '      expected 1',
        '- [completes] transfer/creditDestination/run/ran (did not crash, saga running; saga 019abf3e-7d1c-7a2b-9c3d-4e5f6a7b8c9d, prefix crash-1):',
        '    no-crash: the worker did not crash',
        '    timeout: the saga was still running after 30 s',
        'Rerun one point alone with the `points` option, and `keepKeys: true` to look at its keys in Redis.',
      ].join('\n'),
    );
  });
});

describe('formatCrashTestReport', () => {
  it('gives a summary line, then one line per run with its verdict, status and time', () => {
    expect(formatCrashTestReport(broken).split('\n')).toEqual([
      'crash test of saga "transfer": 4 runs (1 undisturbed, 3 crashes), 2 violated, 12.3 s',
      'completes (expect completed): 3 points run',
      '  ok        undisturbed                         completed  0.8 s',
      '  ok        transfer/debitSource/run/begun      completed  2.3 s',
      '  VIOLATED  transfer/debitSource/run/ran        completed  2.3 s (invariant)',
      '  VIOLATED  transfer/creditDestination/run/ran  running    2.3 s (no-crash, timeout)',
    ]);
  });
});
