import {
  NatsDeadLetterHeaders,
  deadLetterHeaders,
  deadLetterMsgId,
  natsFallbackEventId,
  headerValue,
  isLastDelivery,
  redeliveryDelayMs,
  supportsTermReason,
} from './nats-delivery';
import { EVENT_ID_PATTERN } from '@sagaflow/core';

const position = { stream: 'SAGAFLOW_EVENTS', streamCreatedMs: 1764090000123, sequence: 42 };

describe('natsFallbackEventId', () => {
  it("takes the publisher's Nats-Msg-Id when the message has one", () => {
    expect(natsFallbackEventId('order-42-placed', position)).toBe('order-42-placed');
  });

  it('names the stored message by stream, stream creation and sequence otherwise: the same on every redelivery', () => {
    const id = natsFallbackEventId(undefined, position);
    expect(id).toBe('nats-SAGAFLOW_EVENTS-1764090000123-42');
    expect(natsFallbackEventId('', position)).toBe(id);
    expect(id).toMatch(EVENT_ID_PATTERN);
  });

  it('tells a stream created again, whose sequences restart, from the one before it', () => {
    expect(natsFallbackEventId(undefined, { ...position, streamCreatedMs: 1764090999999 })).not.toBe(
      natsFallbackEventId(undefined, position),
    );
  });

  it('keeps to the event id alphabet and length whatever the stream is called', () => {
    const id = natsFallbackEventId(undefined, { ...position, stream: `ORDERS#1!${'x'.repeat(300)}` });
    expect(id).toMatch(EVENT_ID_PATTERN);
    expect(id.startsWith('nats-ORDERS_1_')).toBe(true);
  });

  it('gives a dead-letter copy an id of its own, fixed per stored message', () => {
    expect(deadLetterMsgId(position)).toBe('dead-letter-nats-SAGAFLOW_EVENTS-1764090000123-42');
  });
});

describe('redeliveryDelayMs', () => {
  const backoff = { baseMs: 1_000, maxMs: 30_000 };

  it('doubles from the base with each delivery, up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((count) => redeliveryDelayMs(count, backoff))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
    ]);
  });

  it('stays finite for a message delivered a great many times', () => {
    expect(redeliveryDelayMs(10_000, backoff)).toBe(30_000);
  });
});

describe('isLastDelivery', () => {
  it('is never the last without a limit', () => {
    expect(isLastDelivery(1_000, -1)).toBe(false);
  });

  it('is the last once the count reaches the limit', () => {
    expect(isLastDelivery(2, 3)).toBe(false);
    expect(isLastDelivery(3, 3)).toBe(true);
  });
});

describe('supportsTermReason', () => {
  it.each([
    ['2.10.4', true],
    ['2.10.22', true],
    ['2.11.0', true],
    ['v2.12.1', true],
    ['3.0.0', true],
    ['2.10.3', false],
    ['2.9.10', false],
    ['', false],
    [undefined, false],
  ])('server %s: %s', (version, expected) => {
    expect(supportsTermReason(version)).toBe(expected);
  });
});

describe('deadLetterHeaders', () => {
  it('tells the reason and where the message came from', () => {
    expect(
      deadLetterHeaders('The event is invalid: type.', { subject: 'sagaflow.events.x', deliveryCount: 1, position }),
    ).toEqual({
      [NatsDeadLetterHeaders.reason]: 'The event is invalid: type.',
      [NatsDeadLetterHeaders.subject]: 'sagaflow.events.x',
      [NatsDeadLetterHeaders.stream]: 'SAGAFLOW_EVENTS',
      [NatsDeadLetterHeaders.sequence]: '42',
      [NatsDeadLetterHeaders.deliveries]: '1',
    });
  });

  it('keeps a reason to one line of bounded length, as a header value must be', () => {
    expect(headerValue('first\r\nsecond\n')).toBe('first second');
    const long = headerValue('x'.repeat(5_000));
    expect(long).toHaveLength(1_024);
    expect(long.endsWith('…')).toBe(true);
  });
});
