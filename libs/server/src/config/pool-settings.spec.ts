import { perPool, positiveInteger, rate } from './pool-settings';

describe('pool settings', () => {
  it('reads a value per pool', () => {
    expect(perPool('X', 'payments=5,reports=2', positiveInteger)).toEqual({ payments: 5, reports: 2 });
    expect(perPool('X', '', positiveInteger)).toEqual({});
    expect(perPool('X', 'payments=100/1s,slow=3/2m', rate)).toEqual({
      payments: { max: 100, durationMs: 1_000 },
      slow: { max: 3, durationMs: 120_000 },
    });
  });

  it.each([
    ['no value', 'payments', positiveInteger],
    ['a zero concurrency', 'payments=0', positiveInteger],
    ['a fraction', 'payments=1.5', positiveInteger],
    ['a bad pool name', 'pay:ments=5', positiveInteger],
    ['a rate without a period', 'payments=100', rate],
    ['a rate of nothing', 'payments=0/1s', rate],
  ])('refuses %s, naming the variable and the entry', (_case, text, value) => {
    expect(() => perPool('SAGAFLOW_POOL_X', text, value as (raw: string) => unknown)).toThrow(
      `SAGAFLOW_POOL_X: "${text}" is not <pool>=<value>`,
    );
  });
});
