/**
 * Transfer and account ids end up in the ledger, in logs and in URLs, so they are kept to a safe alphabet.
 * @publicApi
 */
export const SAFE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
