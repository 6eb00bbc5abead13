import { crashPoints, formatCrashPoint, parseCrashPoint, type CrashPoint } from '@sagaflow/core';
import { CRASH_TEST_ENV, type CrashTestOptions, type RecoverySettings } from './crash-test-options.interface';
import { FINAL_SAGA_STATUSES } from './final-saga-status';
import { InvalidCrashTestOptionsError } from './errors/invalid-crash-test-options.error';

/** The options with every default filled in and the points parsed. */
export interface ResolvedCrashTestOptions<I extends object> extends Required<
  Omit<CrashTestOptions<I>, 'points' | 'recovery' | 'onRun'>
> {
  points?: CrashPoint[];
  recovery: RecoverySettings;
  onRun?: CrashTestOptions<I>['onRun'];
}

export const CRASH_TEST_DEFAULTS = {
  concurrency: 4,
  runTimeoutMs: 30_000,
  recovery: { lockDurationMs: 1_000, sweepIntervalMs: 250, stuckAfterMs: 1_000 } satisfies RecoverySettings,
} as const;

/** Leaves room for `-<run number>` within the 64 characters a worker accepts as `SAGAFLOW_PREFIX`. */
const PREFIX_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,49}$/;
/** The least values a worker accepts (see `SagaEnvironment`). */
const RECOVERY_MINIMUMS: RecoverySettings = { lockDurationMs: 1_000, sweepIntervalMs: 100, stuckAfterMs: 100 };

/**
 * Checks the options of a crash test and fills in the defaults.
 * @param inherited - the environment the workers inherit (this process'), checked for `NODE_ENV=production`
 * @throws InvalidCrashTestOptionsError naming the first option at fault
 */
export function validateCrashTestOptions<I extends object>(
  options: CrashTestOptions<I>,
  inherited: Readonly<Record<string, string | undefined>> = process.env,
): ResolvedCrashTestOptions<I> {
  const fail = (option: string, problem: string): never => {
    throw new InvalidCrashTestOptionsError(option, problem);
  };
  const { saga, worker, redisUrl, prefix, scenarios, invariants } = options;

  if (typeof saga?.name !== 'string' || !Array.isArray(saga.steps)) {
    fail('saga', 'it must be a saga definition, as defineSaga(...).build() returns.');
  }
  const all = crashPoints(saga);
  if (all.length === 0) fail('saga', `saga "${saga.name}" has no step with an implementation: nothing can crash.`);

  if (typeof worker?.command !== 'string' || worker.command === '') {
    fail('worker.command', 'it must name the executable that starts your worker, such as process.execPath.');
  }
  if (worker.args !== undefined && !isStringArray(worker.args)) fail('worker.args', 'it must be an array of strings.');
  for (const [name, value] of Object.entries(worker.env ?? {})) {
    if (typeof value !== 'string') fail(`worker.env.${name}`, 'environment values must be strings.');
    if ((CRASH_TEST_ENV as readonly string[]).includes(name)) {
      fail(`worker.env.${name}`, `the kit sets it for each run; pass redisUrl, prefix or recovery instead.`);
    }
  }
  if ((worker.env?.NODE_ENV ?? inherited.NODE_ENV) === 'production') {
    fail('worker.env.NODE_ENV', 'workers refuse SAGAFLOW_CRASH_AT with NODE_ENV=production; set another NODE_ENV.');
  }

  if (typeof redisUrl !== 'string' || !/^rediss?:\/\//.test(redisUrl)) {
    fail('redisUrl', 'it must start with redis:// or rediss://.');
  }
  if (typeof prefix !== 'string' || !PREFIX_PATTERN.test(prefix)) {
    fail('prefix', `it must match ${PREFIX_PATTERN} (each run adds "-<n>" to it).`);
  }

  if (!Array.isArray(scenarios) || scenarios.length === 0) fail('scenarios', 'give at least one scenario.');
  const names = new Set<string>();
  scenarios.forEach((scenario, index) => {
    const at = `scenarios[${index}]`;
    if (typeof scenario?.name !== 'string' || scenario.name.trim() === '') fail(`${at}.name`, 'give it a name.');
    if (names.has(scenario.name)) fail(`${at}.name`, `"${scenario.name}" names two scenarios.`);
    names.add(scenario.name);
    if (typeof scenario.input !== 'function') fail(`${at}.input`, 'it must be a function giving a fresh input.');
    if (!FINAL_SAGA_STATUSES.includes(scenario.expect)) {
      fail(`${at}.expect`, `it must be one of ${FINAL_SAGA_STATUSES.join(', ')}.`);
    }
    if (scenario.whenWaiting !== undefined && typeof scenario.whenWaiting !== 'function') {
      fail(`${at}.whenWaiting`, 'it must be a function.');
    }
  });
  if (typeof invariants !== 'function') fail('invariants', 'it must be a function that throws on a violation.');

  const known = new Set(all.map(formatCrashPoint));
  const points = options.points?.map((given, index) => {
    let point: CrashPoint;
    try {
      point = typeof given === 'string' ? parseCrashPoint(given) : given;
    } catch (error) {
      return fail(`points[${index}]`, (error as Error).message);
    }
    const label = formatCrashPoint(point);
    if (!known.has(label)) {
      fail(`points[${index}]`, `saga "${saga.name}" has no point ${label}; its points are ${[...known].join(', ')}.`);
    }
    return point;
  });

  const concurrency = options.concurrency ?? CRASH_TEST_DEFAULTS.concurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1) fail('concurrency', 'it must be a positive integer.');
  const runTimeoutMs = options.runTimeoutMs ?? CRASH_TEST_DEFAULTS.runTimeoutMs;
  if (!Number.isInteger(runTimeoutMs) || runTimeoutMs < 1_000) {
    fail('runTimeoutMs', 'it must be an integer of at least 1000 (ms).');
  }
  const recovery = { ...CRASH_TEST_DEFAULTS.recovery, ...options.recovery };
  for (const key of Object.keys(RECOVERY_MINIMUMS) as (keyof RecoverySettings)[]) {
    if (!Number.isInteger(recovery[key]) || recovery[key] < RECOVERY_MINIMUMS[key]) {
      fail(`recovery.${key}`, `it must be an integer of at least ${RECOVERY_MINIMUMS[key]} (ms), as workers require.`);
    }
  }

  return {
    saga,
    worker,
    redisUrl,
    prefix,
    scenarios,
    invariants,
    points,
    concurrency,
    runTimeoutMs,
    recovery,
    keepKeys: options.keepKeys ?? false,
    onRun: options.onRun,
  };
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
