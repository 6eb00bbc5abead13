import { EventInvalidError } from '../errors/event-invalid.error';
import type { PublishEvent } from '../events/saga-event';
import type { SagaClient } from '../runtime/saga-client';
import type { TraceCarrier } from '../store/transition';
import type { EventHandler, MessageHeader } from './event-source';

/**
 * The {@link EventHandler} of every event source (and of the events queue): a body (JSON text, a Buffer, or an
 * object already parsed) becomes an event published through the client, with `fallbackId` as its id when it
 * carries none.
 * @publicApi
 */
export function eventHandler(client: SagaClient): EventHandler {
  return (body, fallbackId, header) => {
    const event = parseBody(body);
    const isObject = typeof event === 'object' && event !== null && !Array.isArray(event);
    const withId = isObject && (event as PublishEvent).id === undefined ? { ...event, id: fallbackId } : event;
    const traceContext = header && traceContextOf(header);
    return client.publish(withId as PublishEvent, traceContext ? { traceContext } : {});
  };
}

/** The W3C trace context a message carries in its headers, if any. */
function traceContextOf(header: MessageHeader): TraceCarrier | undefined {
  const traceparent = header('traceparent');
  if (!traceparent) return undefined;
  const tracestate = header('tracestate');
  return { traceparent, ...(tracestate && { tracestate }) };
}

/** Why an event was refused, for a dead-letter message or a failed job: the message and the fields at fault. */
export function refusalReason(error: EventInvalidError): string {
  return `${error.message} ${JSON.stringify(error.fields)}`;
}

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string' && !Buffer.isBuffer(body)) return body;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new EventInvalidError([{ field: '', messages: ['the message body is not JSON'] }]);
  }
}
