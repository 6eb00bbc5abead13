import { EVENT_ID_PATTERN, EVENT_KEY_PATTERN, isEventType } from '../definition/patterns';
import type { SagaEvent } from '../definition/saga-definition';
import { EventInvalidError } from '../errors/event-invalid.error';
import { SagaInputInvalidError, type InputFieldError } from '../errors/saga-input-invalid.error';
import { newSagaId } from '../store/saga-id';
import type { SagaRegistry } from '../definition/saga-registry';
import type { TraceCarrier } from '../store/transition';
import type { EventInbox } from './event-inbox';
import type { EventRejection, PublishEvent, PublishResult } from './saga-event';

/** Starts a saga under an idempotency key: {@link SagaClient.start}. */
export type StartSaga = (
  name: string,
  input: unknown,
  options: { idempotencyKey: string; correlationKey?: string; traceContext?: TraceCarrier },
) => Promise<{ id: string }>;

const EVENT_FIELDS = new Set(['id', 'type', 'key', 'payload']);

/**
 * Publishes events: starts the sagas whose definitions are triggered by the event's type, and ends the waits of
 * sagas waiting for its type and key. Publishing is idempotent by event id: the sagas an event starts are
 * started under an idempotency key derived from it, and the first result is kept and answered again.
 */
export class EventRouter {
  constructor(
    private readonly registry: SagaRegistry,
    private readonly inbox: EventInbox,
    private readonly startSaga: StartSaga,
  ) {}

  /**
   * @param traceContext - the event's (its message's headers): the sagas it starts continue its trace
   * @throws EventInvalidError when the event is malformed; nothing was recorded
   */
  async publish(published: PublishEvent, traceContext?: TraceCarrier): Promise<PublishResult> {
    const event = parseEvent(published);
    const earlier = await this.inbox.recorded<PublishResult>(event.id);
    if (earlier) return earlier;
    // Kept before the waiters are read: see EventInbox.
    if (event.key !== undefined) await this.inbox.keep({ ...event, key: event.key });
    const { started, rejected } = await this.startTriggered(event, traceContext);
    const delivered =
      event.key !== undefined
        ? await this.inbox.deliverToWaiters({ ...event, key: event.key })
        : { resumed: [], rejected: [] };
    return this.inbox.record(event.id, {
      eventId: event.id,
      started,
      resumed: delivered.resumed,
      rejected: [...rejected, ...delivered.rejected],
    });
  }

  private async startTriggered(
    event: SagaEvent,
    traceContext: TraceCarrier | undefined,
  ): Promise<{ started: string[]; rejected: EventRejection[] }> {
    const started: string[] = [];
    const rejected: EventRejection[] = [];
    for (const name of this.registry.names()) {
      const trigger = this.registry.latest(name).triggers.find((candidate) => candidate.event === event.type);
      if (!trigger) continue;
      let input: unknown;
      try {
        input = trigger.input(event);
      } catch (error) {
        rejected.push({ saga: name, reason: `the trigger's input mapping failed: ${(error as Error).message}` });
        continue;
      }
      if (input === undefined) continue;
      try {
        const options = {
          idempotencyKey: `event-${event.id}`,
          ...(event.key && { correlationKey: event.key }),
          traceContext,
        };
        started.push((await this.startSaga(name, input, options)).id);
      } catch (error) {
        // One saga refusing the event does not keep it from the others.
        if (!(error instanceof SagaInputInvalidError)) throw error;
        rejected.push({ saga: name, reason: error.message, errors: [...error.fields] });
      }
    }
    return { started, rejected };
  }
}

/** Checks a published event's shape; the event with its id and payload defaulted. */
export function parseEvent(published: unknown): SagaEvent {
  const errors: InputFieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ field, messages: [message] });
  if (typeof published !== 'object' || published === null || Array.isArray(published)) {
    throw new EventInvalidError([{ field: '', messages: ['the event must be a JSON object'] }]);
  }
  const { id, type, key, payload = {} } = published as Record<string, unknown>;
  for (const field of Object.keys(published))
    if (!EVENT_FIELDS.has(field)) fail(field, `${field} is not an event field`);
  if (!isEventType(type)) fail('type', 'type must be a dotted name such as "order.placed"');
  if (key !== undefined && !(typeof key === 'string' && EVENT_KEY_PATTERN.test(key))) {
    fail('key', `key must match ${EVENT_KEY_PATTERN}`);
  }
  if (id !== undefined && !(typeof id === 'string' && EVENT_ID_PATTERN.test(id))) {
    fail('id', `id must match ${EVENT_ID_PATTERN}`);
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    fail('payload', 'payload must be a JSON object');
  }
  if (errors.length > 0) throw new EventInvalidError(errors);
  return {
    id: (id as string | undefined) ?? newSagaId(),
    type: type as string,
    ...(key !== undefined && { key: key as string }),
    payload: payload as Record<string, unknown>,
  };
}
