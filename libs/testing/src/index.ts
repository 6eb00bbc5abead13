// The crash-test kit of sagaflow: `crashTest()` runs a saga against a real Redis and your worker processes,
// crashing a worker at every point a step passes, and checks your invariants after each run.
export * from './crash-test';
export * from './crash-test-options.interface';
export * from './final-saga-status';
export * from './crash-test-report.interface';
export * from './assert-no-violations';
export * from './format-crash-test-report';
export * from './reached-crash-points';
export * from './errors';
// Re-exported so that a crash test needs only this package for its points.
export { crashPoints, formatCrashPoint, parseCrashPoint, type CrashMoment, type CrashPoint } from '@sagaflow/core';
// crash-test-runner, run-concurrently, validate-crash-test-options and worker-process stay out: they are the kit's
// internals, and their shapes may change.
