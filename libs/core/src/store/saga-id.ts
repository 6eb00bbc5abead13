import { randomUUID } from 'node:crypto';

/** A UUID, lower case. Checked before an id from outside reaches a Redis key. */
export const SAGA_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Ids sort by creation time,
 * which is what lets the saga index list newest first without a second sort key. The random bits come from
 * `randomUUID` (version 4), which draws on a cached entropy pool: no system call per id.
 */
export function newSagaId(now: number = Date.now()): string {
  // Keep v4's random bits and its variant; replace the time fields and the version nibble.
  return `${sagaIdTimePrefix(now)}-7${randomUUID().slice(15)}`;
}

/**
 * How the ids of sagas created at `ms` begin (`tttttttt-tttt`): every such id sorts after it, and before the
 * prefix of `ms + 1`. What lists sagas by creation time.
 */
export function sagaIdTimePrefix(ms: number): string {
  const hex = Math.max(0, ms).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}`;
}
