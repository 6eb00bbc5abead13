import { EventInvalidError, type PublishResult, type EventHandler } from '@sagaflow/core';
import { settleNatsMessage, type SettleContext, type SettleableMessage } from './settle-nats-message';

const recorded: PublishResult = { eventId: 'e-1', started: ['s-1'], resumed: [], rejected: [] };

/** A message that records how it was settled, in order, with what the handler had done by then. */
class FakeMessage implements SettleableMessage {
  readonly calls: string[] = [];
  readonly info: { deliveryCount: number };
  headers?: { get(name: string): string };

  constructor(
    private readonly body: string,
    deliveryCount = 1,
    private readonly failSettling = false,
  ) {
    this.info = { deliveryCount };
  }

  string(): string {
    return this.body;
  }
  ack(): void {
    this.send('ack');
  }
  nak(millis?: number): void {
    this.send(`nak ${millis}`);
  }
  term(reason?: string): void {
    this.send(reason === undefined ? 'term' : `term ${reason}`);
  }
  private send(call: string): void {
    if (this.failSettling) throw new Error('connection closed');
    this.calls.push(call);
  }
}

function contextFor(
  message: FakeMessage,
  handle: EventHandler,
  overrides: Partial<SettleContext<FakeMessage>> = {},
): SettleContext<FakeMessage> {
  return {
    handle,
    fallbackId: () => 'nats-S-1-7',
    deadLetter: async (_message, reason) => {
      message.calls.push(`dead-letter ${reason}`);
    },
    retryDelayMs: (deliveries) => deliveries * 100,
    maxDeliver: -1,
    termWithReason: false,
    logger: { log: () => undefined, warn: () => undefined, error: () => undefined },
    ...overrides,
  };
}

describe('settleNatsMessage', () => {
  it('acknowledges a message only after the handler recorded its event, giving it the fallback id', async () => {
    const message = new FakeMessage('{"type":"order.placed"}');
    const handle = jest.fn(async () => {
      message.calls.push('recorded');
      return recorded;
    });
    await expect(settleNatsMessage(message, contextFor(message, handle))).resolves.toBe('acked');
    expect(handle).toHaveBeenCalledWith('{"type":"order.placed"}', 'nats-S-1-7', expect.any(Function));
    expect(message.calls).toEqual(['recorded', 'ack']);
  });

  it("hands the handler the message's headers, where a trace context rides; a header it lacks reads undefined", async () => {
    const message = new FakeMessage('{"type":"order.placed"}');
    // NATS answers '' for a header a message does not have.
    message.headers = { get: (name) => (name === 'traceparent' ? '00-abc-def-01' : '') };
    const read: (string | undefined)[] = [];
    const handle: EventHandler = async (_body, _id, header) => {
      read.push(header?.('traceparent'), header?.('tracestate'));
      return recorded;
    };
    await settleNatsMessage(message, contextFor(message, handle));
    expect(read).toEqual(['00-abc-def-01', undefined]);
  });

  describe('when the body is not a valid event', () => {
    const invalid = new EventInvalidError([{ field: '', messages: ['the message body is not JSON'] }]);

    it('dead-letters it with the reason, then terminates it', async () => {
      const message = new FakeMessage('not json');
      const outcome = await settleNatsMessage(
        message,
        contextFor(message, () => Promise.reject(invalid)),
      );
      expect(outcome).toBe('dead-lettered');
      expect(message.calls).toEqual([
        'dead-letter The event is invalid: . [{"field":"","messages":["the message body is not JSON"]}]',
        'term',
      ]);
    });

    it('gives term the reason where the server takes one', async () => {
      const message = new FakeMessage('not json');
      await settleNatsMessage(
        message,
        contextFor(message, () => Promise.reject(invalid), { termWithReason: true }),
      );
      expect(message.calls[1]).toMatch(/^term The event is invalid/);
    });

    it('does not terminate it when its copy could not be stored: it comes back and is dead-lettered then', async () => {
      const message = new FakeMessage('not json', 2);
      const deadLetter = () => Promise.reject(new Error('no responders'));
      const outcome = await settleNatsMessage(
        message,
        contextFor(message, () => Promise.reject(invalid), { deadLetter }),
      );
      expect(outcome).toBe('retried');
      expect(message.calls).toEqual(['nak 200']);
    });
  });

  describe('when the event could not be recorded', () => {
    const down = () => Promise.reject(new Error('Redis is unreachable'));

    it('sends it back with a delay that grows with its deliveries', async () => {
      const message = new FakeMessage('{"type":"order.placed"}', 3);
      await expect(settleNatsMessage(message, contextFor(message, down))).resolves.toBe('retried');
      expect(message.calls).toEqual(['nak 300']);
    });

    it('dead-letters it with the last error on its last delivery rather than leave it unseen', async () => {
      const message = new FakeMessage('{"type":"order.placed"}', 5);
      const outcome = await settleNatsMessage(message, contextFor(message, down, { maxDeliver: 5 }));
      expect(outcome).toBe('dead-lettered');
      expect(message.calls).toEqual(['dead-letter Not recorded after 5 deliveries: Redis is unreachable', 'term']);
    });
  });

  it('reports a recorded event whose ack could not be sent as ack-lost: redelivery finds it recorded', async () => {
    const message = new FakeMessage('{"type":"order.placed"}', 1, true);
    await expect(
      settleNatsMessage(
        message,
        contextFor(message, async () => recorded),
      ),
    ).resolves.toBe('ack-lost');
  });
});
