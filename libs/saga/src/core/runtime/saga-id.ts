import { randomUUID } from 'node:crypto';

/** A UUID, lower case. Checked before an id from outside reaches a Redis key. */
export const SAGA_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Ids sort by creation time,
 * which is what lets the saga index list newest first without a second sort key. The random bits come from
 * `randomUUID` (version 4), which draws on a cached entropy pool: no system call per id.
 */
export function newSagaId(now: number = Date.now()): string {
  const random = randomUUID();
  const time = now.toString(16).padStart(12, '0');
  // Keep v4's random bits and its variant; replace the time fields and the version nibble.
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15)}`;
}
