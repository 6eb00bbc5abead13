import type { CrashTestErrorCode } from './crash-test-error-codes';

/**
 * Base of the errors of `@sagaflow/testing`: a stable `code`, and the context as fields.
 * @publicApi
 */
export abstract class CrashTestError extends Error {
  abstract readonly code: CrashTestErrorCode;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
