/** Names of sagas and steps end up in Redis keys and job ids, so they are kept to a safe alphabet. */
export const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** An event type: dotted words such as `order.placed`. */
export const EVENT_TYPE_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/;

/** A correlation key (an order id, an email address) and an event id: they end up in Redis keys. */
export const EVENT_KEY_PATTERN = /^[A-Za-z0-9_.:@+\/-]{1,200}$/;

/** Event ids and idempotency keys: as correlation keys. */
export const EVENT_ID_PATTERN = EVENT_KEY_PATTERN;

/** Longest event type: it is part of Redis keys. */
export const EVENT_TYPE_MAX_LENGTH = 100;

/** Whether `type` is a valid event type. */
export function isEventType(type: unknown): type is string {
  return typeof type === 'string' && type.length <= EVENT_TYPE_MAX_LENGTH && EVENT_TYPE_PATTERN.test(type);
}
