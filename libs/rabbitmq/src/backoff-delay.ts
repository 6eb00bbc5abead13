/**
 * The delay before try number `attempt` (from 1) of something that keeps failing: `initialMs`, doubled at each
 * further try, never above `maxMs`. Without jitter: the few consumers of one queue need no spreading, and tests
 * can count on it.
 */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number): number {
  const doublings = Math.max(0, Math.floor(attempt) - 1);
  // 2 ** 31 and more would only overflow into Infinity; the cap is reached long before.
  return Math.min(maxMs, initialMs * 2 ** Math.min(doublings, 30));
}
