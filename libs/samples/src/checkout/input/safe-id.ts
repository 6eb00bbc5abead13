/** Order and customer ids end up in Redis keys, job ids and event keys, so they are kept to a safe alphabet. */
export const SAFE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
