import { createHash } from 'node:crypto';
import { EVENT_ID_PATTERN } from '@sagaflow/core';

/**
 * The id of the event a RabbitMQ message carries when its body has none: its AMQP `messageId`, else a hash of
 * its body. Either is the same at every delivery of the message, so a message redelivered after a crash (its
 * event recorded, its ack lost) is recognised as the same event and changes nothing. The delivery tag could not
 * serve: it numbers deliveries on one channel and changes with each.
 *
 * - A `messageId` that is a valid event id ({@link EVENT_ID_PATTERN}) is the event id, as given: a producer that
 *   also publishes the event elsewhere under that id gets it recorded once.
 * - Any other `messageId` (too long, spaces, …) is hashed: `amqp-id-<sha256>`.
 * - Without one, the body is hashed: `amqp-body-<sha256>`. Two messages with the same bytes and no id are then
 *   one event: a producer that means two events with equal content must give them ids (in the body, or as
 *   `messageId`).
 *
 * @publicApi
 */
export function messageEventId(content: Buffer, messageId: unknown): string {
  if (typeof messageId === 'string' && messageId !== '') {
    return EVENT_ID_PATTERN.test(messageId) ? messageId : `amqp-id-${sha256(messageId)}`;
  }
  return `amqp-body-${sha256(content)}`;
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
