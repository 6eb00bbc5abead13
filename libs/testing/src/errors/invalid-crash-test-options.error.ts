import { CrashTestError } from './crash-test.error';
import { CrashTestErrorCode } from './crash-test-error-codes';

/**
 * Thrown by `crashTest()` before anything runs when its options cannot work; `option` names the one at fault.
 * @publicApi
 */
export class InvalidCrashTestOptionsError extends CrashTestError {
  readonly code = CrashTestErrorCode.InvalidOptions;

  constructor(
    /** The option at fault, as a path: `scenarios[1].name`, `worker.env.REDIS_URL`. */
    readonly option: string,
    problem: string,
  ) {
    super(`Crash test option "${option}" is not valid: ${problem} Check the options given to crashTest().`);
  }
}
