import { EVENT_ID_PATTERN } from '@sagaflow/core';
import { messageEventId } from './message-event-id';

const body = Buffer.from('{"type":"order.placed","key":"o-1"}');

describe('messageEventId', () => {
  describe('when the message has a messageId', () => {
    it('uses a messageId that is a valid event id as it is', () => {
      expect(messageEventId(body, 'order-1/placed')).toBe('order-1/placed');
    });

    it('hashes a messageId that is not a valid event id, to the same id each time', () => {
      const id = messageEventId(body, 'an id with spaces');
      expect(id).toMatch(/^amqp-id-[0-9a-f]{64}$/);
      expect(messageEventId(Buffer.from('other'), 'an id with spaces')).toBe(id);
      expect(messageEventId(body, 'x'.repeat(129))).toMatch(/^amqp-id-/);
    });
  });

  describe('when the message has no messageId', () => {
    it('derives the id from the body, so a redelivery gets the same id', () => {
      const id = messageEventId(body, undefined);
      expect(id).toMatch(/^amqp-body-[0-9a-f]{64}$/);
      expect(messageEventId(Buffer.from(body), undefined)).toBe(id);
      expect(messageEventId(body, '')).toBe(id);
    });

    it('gives different bodies different ids', () => {
      expect(messageEventId(Buffer.from('{"type":"order.placed","key":"o-2"}'), undefined)).not.toBe(
        messageEventId(body, undefined),
      );
    });

    it('ignores a messageId that is not a string', () => {
      expect(messageEventId(body, 42)).toBe(messageEventId(body, undefined));
    });
  });

  it('always answers a valid event id', () => {
    for (const messageId of [undefined, 'ok-1', 'not ok', 'é'.repeat(200)]) {
      expect(messageEventId(body, messageId)).toMatch(EVENT_ID_PATTERN);
    }
  });
});
