import type { CrashRunResult, CrashTestReport } from '../crash-test-report.interface';
import { CrashTestError } from './crash-test.error';
import { CrashTestErrorCode } from './crash-test-error-codes';

/**
 * Thrown by `assertNoViolations()` when some run of a crash test broke an invariant or failed otherwise; the
 * message lists every such run, and the whole report is kept.
 * @publicApi
 */
export class CrashTestViolationsError extends CrashTestError {
  readonly code = CrashTestErrorCode.Violations;

  constructor(
    message: string,
    readonly report: CrashTestReport,
    /** The runs with at least one violation. */
    readonly violated: readonly CrashRunResult[],
  ) {
    super(message);
  }
}
