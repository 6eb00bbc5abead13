import { toMilliseconds, type Duration } from './duration';

/**
 * How long an ended saga (completed or compensated) is kept, with its history, before it is removed: a
 * {@link Duration}, or `'forever'`. A saga parked for an operator (`compensation_failed`) is never removed.
 * @publicApi
 */
export type Retention = Duration | 'forever';

/** The retention of a deployment that sets none: 7 days. */
export const DEFAULT_RETENTION_MS = 7 * 86_400_000;

/** The retention in milliseconds, `null` for `'forever'`; `undefined` when it is neither a positive duration nor `'forever'`. */
export function retentionMs(retention: Retention): number | null | undefined {
  if (retention === 'forever') return null;
  const ms = toMilliseconds(retention);
  return ms !== undefined && ms >= 1 ? ms : undefined;
}
