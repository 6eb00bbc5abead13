/** Ids end up in Redis keys, in the bank's ledger, in logs and in URLs, so they are kept to a safe alphabet. */
export const SAFE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A trip id: the safe alphabet, 59 characters at most, so that the transfer paying for it (`trip-<tripId>`) still
 * has a valid transfer id.
 * @publicApi
 */
export const TRIP_ID_PATTERN = /^[A-Za-z0-9_-]{1,59}$/;
