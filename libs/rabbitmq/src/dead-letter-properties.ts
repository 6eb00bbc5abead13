import type { Message, Options } from 'amqplib';

/** The header of a dead-lettered message that says why it was refused. @publicApi */
export const REASON_HEADER = 'x-sagaflow-reason';

/** A reason longer than this is cut: AMQP headers share a 64 KiB table with the producer's own. */
const MAX_REASON_LENGTH = 2_000;

/**
 * The properties of the copy of a refused message that the source publishes to the dead-letter exchange: the
 * original's properties and headers, made persistent, plus why it was refused ({@link REASON_HEADER}), when,
 * and where it came from (RabbitMQ's own `x-death` header says none of that for a message it did not reject).
 */
export function deadLetterProperties(message: Message, reason: string, queue: string, now: Date): Options.Publish {
  const { properties, fields } = message;
  const kept: Options.Publish = {};
  // Only the properties the message has: an absent one must stay absent, not become an empty value.
  for (const name of [
    'contentType',
    'contentEncoding',
    'correlationId',
    'messageId',
    'timestamp',
    'type',
    'appId',
  ] as const) {
    if (properties[name] !== undefined) kept[name] = properties[name];
  }
  return {
    ...kept,
    persistent: true,
    headers: {
      ...properties.headers,
      [REASON_HEADER]: reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH - 1)}…` : reason,
      'x-sagaflow-refused-at': now.toISOString(),
      'x-sagaflow-queue': queue,
      'x-sagaflow-original-exchange': fields.exchange,
      'x-sagaflow-original-routing-key': fields.routingKey,
    },
  };
}
