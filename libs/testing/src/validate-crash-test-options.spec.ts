import { IsString } from 'class-validator';
import { defineSaga, type SagaData } from '@sagaflow/core';
import type { CrashTestOptions } from './crash-test-options.interface';
import { CrashTestErrorCode, InvalidCrashTestOptionsError } from './errors';
import { validateCrashTestOptions } from './validate-crash-test-options';

class OrderInput {
  @IsString()
  orderId!: string;
}

class ReserveStep {
  async run(_data: SagaData<OrderInput, object>) {
    return {};
  }
  async compensate() {}
}

const saga = defineSaga('order', { input: OrderInput }).step('reserve', ReserveStep).build();

function options(overrides: Partial<CrashTestOptions<OrderInput>> = {}): CrashTestOptions<OrderInput> {
  return {
    saga,
    worker: { command: process.execPath, args: ['worker.js'] },
    redisUrl: 'redis://127.0.0.1:6379',
    prefix: 'crash-order',
    scenarios: [{ name: 'completes', expect: 'completed', input: () => ({ orderId: 'o-1' }) }],
    invariants: () => undefined,
    ...overrides,
  };
}

/** The error validation throws for these options, for its `option` and message. */
function refusal(given: CrashTestOptions<OrderInput>, env: Record<string, string> = {}): InvalidCrashTestOptionsError {
  try {
    validateCrashTestOptions(given, env);
  } catch (error) {
    if (error instanceof InvalidCrashTestOptionsError) return error;
    throw error;
  }
  throw new Error('the options were accepted');
}

describe('validateCrashTestOptions', () => {
  it('fills in the defaults: 4 runs at once, 30 s per run, recovery within about 2 s, keys deleted', () => {
    const resolved = validateCrashTestOptions(options(), {});
    expect(resolved).toMatchObject({
      concurrency: 4,
      runTimeoutMs: 30_000,
      recovery: { lockDurationMs: 1_000, sweepIntervalMs: 250, stuckAfterMs: 1_000 },
      keepKeys: false,
    });
    expect(resolved.points).toBeUndefined();
  });

  it('parses points given as text and keeps those given as objects', () => {
    const begun = { saga: 'order', step: 'reserve', phase: 'compensate', at: 'begun' } as const;
    const { points } = validateCrashTestOptions(options({ points: ['order/reserve/run/ran', begun] }), {});
    expect(points).toEqual([{ saga: 'order', step: 'reserve', phase: 'run', at: 'ran' }, begun]);
  });

  it('keeps a partial recovery setting with the other defaults', () => {
    const { recovery } = validateCrashTestOptions(options({ recovery: { stuckAfterMs: 500 } }), {});
    expect(recovery).toEqual({ lockDurationMs: 1_000, sweepIntervalMs: 250, stuckAfterMs: 500 });
  });

  describe('refuses, naming the option and with the stable code', () => {
    const cases: [string, Partial<CrashTestOptions<OrderInput>>, string, RegExp][] = [
      ['a prefix a worker would refuse', { prefix: '1-crash' }, 'prefix', /must match/],
      ['a prefix too long for the run number', { prefix: `p${'x'.repeat(50)}` }, 'prefix', /must match/],
      ['a URL that is not Redis', { redisUrl: 'http://127.0.0.1:6379' }, 'redisUrl', /redis:\/\//],
      ['no scenario', { scenarios: [] }, 'scenarios', /at least one/],
      [
        'two scenarios of one name',
        { scenarios: [...options().scenarios, ...options().scenarios] },
        'scenarios[1].name',
        /"completes" names two scenarios/,
      ],
      [
        'an expected status that is not final',
        { scenarios: [{ name: 'x', expect: 'running' as never, input: () => ({ orderId: 'o' }) }] },
        'scenarios[0].expect',
        /completed, compensated, compensation_failed/,
      ],
      ['no invariants', { invariants: undefined as never }, 'invariants', /function/],
      ['an empty command', { worker: { command: '' } }, 'worker.command', /executable/],
      [
        'a variable the kit sets',
        { worker: { command: 'node', env: { SAGAFLOW_PREFIX: 'mine' } } },
        'worker.env.SAGAFLOW_PREFIX',
        /the kit sets it/,
      ],
      [
        'a point of a step the saga lacks',
        { points: ['order/ship/run/ran'] },
        'points[0]',
        /has no point order\/ship\/run\/ran; its points are order\/reserve\/run\/begun/,
      ],
      ['a point that does not parse', { points: ['order/reserve/run'] }, 'points[0]', /is not a crash point/],
      ['no run at a time', { concurrency: 0 }, 'concurrency', /positive integer/],
      ['a run timeout under a second', { runTimeoutMs: 500 }, 'runTimeoutMs', /at least 1000/],
      ['a lock shorter than workers accept', { recovery: { lockDurationMs: 500 } }, 'recovery.lockDurationMs', /1000/],
    ];
    it.each(cases)('%s', (_case, overrides, option, message) => {
      const error = refusal(options(overrides));
      expect({ option: error.option, code: error.code, name: error.name }).toEqual({
        option,
        code: CrashTestErrorCode.InvalidOptions,
        name: 'InvalidCrashTestOptionsError',
      });
      expect(error.message).toMatch(message);
      expect(error.message).toMatch(/Check the options given to crashTest\(\)\.$/);
    });

    it('a saga none of whose steps has an implementation', () => {
      const sleeper = defineSaga('sleeper', { input: OrderInput }).sleep('pause', '1s').build();
      const error = refusal({ ...options(), saga: sleeper as never });
      expect([error.option, error.message]).toEqual(['saga', expect.stringMatching(/nothing can crash/)]);
    });

    it('workers that would run with NODE_ENV=production, where they refuse to crash', () => {
      expect(refusal(options(), { NODE_ENV: 'production' }).option).toBe('worker.env.NODE_ENV');
      const overridden = options({ worker: { command: 'node', env: { NODE_ENV: 'test' } } });
      expect(() => validateCrashTestOptions(overridden, { NODE_ENV: 'production' })).not.toThrow();
    });
  });
});
