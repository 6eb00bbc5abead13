import { toMilliseconds } from './duration';

describe('toMilliseconds', () => {
  it.each([
    [250, 250],
    ['250ms', 250],
    ['5s', 5_000],
    ['1.5s', 1_500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['3d', 259_200_000],
  ] as const)('converts %p to %p ms', (duration, expected) => {
    expect(toMilliseconds(duration)).toBe(expected);
  });

  it.each([-1, Number.NaN, '5 s', 's', '-5s', '5w'])('refuses %p', (duration) => {
    expect(toMilliseconds(duration as never)).toBeUndefined();
  });
});
