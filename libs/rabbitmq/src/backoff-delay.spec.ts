import { backoffDelay } from './backoff-delay';

describe('backoffDelay', () => {
  it('starts at the initial delay and doubles at each further attempt', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, 500, 30_000))).toEqual([500, 1_000, 2_000, 4_000]);
  });

  it('never waits longer than the maximum, however many attempts failed', () => {
    expect(backoffDelay(7, 500, 30_000)).toBe(30_000);
    expect(backoffDelay(10_000, 500, 30_000)).toBe(30_000);
  });

  it('treats an attempt below 1 as the first', () => {
    expect(backoffDelay(0, 500, 30_000)).toBe(500);
  });
});
