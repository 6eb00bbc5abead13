import type { SagaEvent } from '../definition/saga-definition';
import type { InputFieldError } from '../errors/saga-input-invalid.error';

/**
 * An event to publish: `id` defaults to a new unique id (give your own to make publishing idempotent), `key` is
 * the correlation key that waiting steps match on, `payload` defaults to `{}`.
 * @publicApi
 */
export interface PublishEvent {
  id?: string;
  type: string;
  key?: string;
  payload?: Record<string, unknown>;
}

/** An event with a correlation key: one that can end a wait. */
export type KeyedEvent = SagaEvent & { key: string };

/** A saga an event did not start or resume, and why. @publicApi */
export interface EventRejection {
  saga: string;
  /** Set when the event was refused by a waiting saga (its payload does not fit the wait). */
  sagaId?: string;
  reason: string;
  errors?: InputFieldError[];
}

/**
 * What publishing an event did: the sagas it started and those whose wait it ended. Publishing the same event id
 * again answers the same.
 * @publicApi
 */
export interface PublishResult {
  eventId: string;
  started: string[];
  resumed: string[];
  rejected: EventRejection[];
}
