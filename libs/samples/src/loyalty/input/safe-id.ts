/** Order ids end up in Redis keys and logs, so they are kept to a safe alphabet. */
export const SAFE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
