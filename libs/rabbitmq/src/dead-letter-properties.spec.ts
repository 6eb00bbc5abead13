import type { Message, MessageProperties } from 'amqplib';
import { REASON_HEADER, deadLetterProperties } from './dead-letter-properties';

function message(properties: Partial<MessageProperties>): Message {
  const none = Object.fromEntries(
    [
      'contentType',
      'contentEncoding',
      'headers',
      'deliveryMode',
      'priority',
      'correlationId',
      'replyTo',
      'expiration',
      'messageId',
      'timestamp',
      'type',
      'userId',
      'appId',
      'clusterId',
    ].map((name) => [name, undefined]),
  ) as unknown as MessageProperties;
  return {
    content: Buffer.from('not json'),
    fields: { deliveryTag: 7, redelivered: false, exchange: 'shop.events', routingKey: 'order.placed' },
    properties: { ...none, ...properties },
  };
}

const now = new Date('2026-11-25T10:00:00.000Z');

describe('deadLetterProperties', () => {
  it('says why, when, and where the message came from, and makes the copy persistent', () => {
    const properties = deadLetterProperties(message({}), 'the message body is not JSON', 'shop.sagas', now);
    expect(properties).toEqual({
      persistent: true,
      headers: {
        [REASON_HEADER]: 'the message body is not JSON',
        'x-sagaflow-refused-at': '2026-11-25T10:00:00.000Z',
        'x-sagaflow-queue': 'shop.sagas',
        'x-sagaflow-original-exchange': 'shop.events',
        'x-sagaflow-original-routing-key': 'order.placed',
      },
    });
  });

  it("keeps the producer's properties and headers", () => {
    const original = message({
      messageId: 'm-1',
      contentType: 'application/json',
      correlationId: 'c-1',
      headers: { tenant: 'acme' },
    });
    const properties = deadLetterProperties(original, 'bad', 'q', now);
    expect(properties).toMatchObject({
      messageId: 'm-1',
      contentType: 'application/json',
      correlationId: 'c-1',
      headers: { tenant: 'acme', [REASON_HEADER]: 'bad' },
    });
  });

  it('cuts a very long reason, so the headers stay within what AMQP allows', () => {
    const properties = deadLetterProperties(message({}), 'x'.repeat(100_000), 'q', now);
    const reason = (properties.headers as Record<string, string>)[REASON_HEADER];
    expect(reason.length).toBe(2_000);
    expect(reason.endsWith('…')).toBe(true);
  });
});
