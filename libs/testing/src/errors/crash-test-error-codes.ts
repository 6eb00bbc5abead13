/**
 * Stable codes of the errors `@sagaflow/testing` raises, for code that cannot rely on `instanceof` (a test
 * runner printing an error that crossed a worker thread, for one).
 * @publicApi
 */
export const CrashTestErrorCode = {
  InvalidOptions: 'CRASH_TEST.INVALID_OPTIONS',
  Violations: 'CRASH_TEST.VIOLATIONS',
} as const;

export type CrashTestErrorCode = (typeof CrashTestErrorCode)[keyof typeof CrashTestErrorCode];
