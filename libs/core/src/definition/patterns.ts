/** Names of sagas and steps end up in Redis keys and job ids, so they are kept to a safe alphabet. */
export const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** An event type: dotted words such as `order.placed`. */
export const EVENT_TYPE_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/;

/** A correlation key (an order id, an email address): it ends up in Redis keys. */
export const EVENT_KEY_PATTERN = /^[A-Za-z0-9_.:@+/-]{1,200}$/;

/** The name of a tag a saga is started with (`customerId`): what `list({ tags })` finds it by. */
export const TAG_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/** How many tags one saga may carry: each is an index entry in Redis. */
export const MAX_TAGS = 16;

/** An idempotency key of a start: as a correlation key. */
export const IDEMPOTENCY_KEY_PATTERN = EVENT_KEY_PATTERN;

/**
 * An event id: as a correlation key, but shorter, since the sagas an event starts are started under the
 * idempotency key `event-<id>`.
 */
export const EVENT_ID_PATTERN = /^[A-Za-z0-9_.:@+/-]{1,128}$/;

/** Longest event type: it is part of Redis keys. */
export const EVENT_TYPE_MAX_LENGTH = 100;

/** Whether `type` is a valid event type. */
export function isEventType(type: unknown): type is string {
  return typeof type === 'string' && type.length <= EVENT_TYPE_MAX_LENGTH && EVENT_TYPE_PATTERN.test(type);
}
