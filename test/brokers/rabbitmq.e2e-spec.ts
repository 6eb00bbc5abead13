import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { connect, type ChannelModel, type ConfirmChannel, type GetMessage, type Options } from 'amqplib';
import {
  LIFECYCLE_SCHEMA_VERSION,
  eventHandler,
  type EventHandler,
  type LifecycleEventType,
  type PublishResult,
  type SagaLifecycleEvent,
} from '@sagaflow/core';
import {
  REASON_HEADER,
  RabbitMqEventSink,
  RabbitMqEventSource,
  type RabbitMqEventSinkOptions,
  type RabbitMqEventSourceOptions,
} from '@sagaflow/rabbitmq';
import { Engine } from '../engine/engine.fixture';
import { waitFor } from '../support/wait-for';
import { deliverySaga, recordingLogger, welcomeSaga } from './broker.fixture';

const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** A source whose connection a test can cut, as a crash or a network failure would: no goodbye to the broker. */
class CuttableSource extends RabbitMqEventSource {
  readonly connections: ChannelModel[] = [];

  protected override async openConnection(): Promise<ChannelModel> {
    const connection = await super.openConnection();
    this.connections.push(connection);
    return connection;
  }

  cut(): Promise<void> {
    return cutConnection(this.connections[this.connections.length - 1]);
  }
}

class CuttableSink extends RabbitMqEventSink {
  readonly connections: ChannelModel[] = [];

  protected override async openConnection(): Promise<ChannelModel> {
    const connection = await super.openConnection();
    this.connections.push(connection);
    return connection;
  }

  cut(): Promise<void> {
    return cutConnection(this.connections[this.connections.length - 1]);
  }
}

/** Destroys the socket under an amqplib connection (amqplib notices a socket error, not a plain close). */
function cutConnection(connection: ChannelModel): Promise<void> {
  return new Promise((resolve) => {
    connection.once('close', () => resolve());
    (connection as unknown as { connection: { stream: Socket } }).connection.stream.destroy(
      new Error('cut by the test'),
    );
  });
}

/** A delivery the source handed to the engine: the fallback id it gave, and what the engine answered. */
interface Handled {
  fallbackId: string;
  result: PublishResult;
}

/** Names of its own for each test, deleted after it. */
function uniqueNames() {
  const id = `test-${randomUUID().slice(0, 8)}`;
  return {
    exchange: `${id}.events`,
    queue: `${id}.sagas`,
    deadLetterExchange: `${id}.sagas.dlx`,
    deadLetterQueue: `${id}.sagas.dlq`,
    lifecycle: `${id}.lifecycle`,
    watcher: `${id}.watcher`,
  };
}

describe('RabbitMQ event source and sink', () => {
  let admin: ChannelModel;
  let channel: ConfirmChannel;
  let names: ReturnType<typeof uniqueNames>;
  let engine: Engine | undefined;
  let source: RabbitMqEventSource | undefined;
  let sink: RabbitMqEventSink | undefined;
  let logs: string[];

  beforeAll(async () => {
    try {
      admin = await connect(RABBITMQ_URL, { timeout: 3_000 });
    } catch (error) {
      throw new Error(
        `RabbitMQ does not answer at ${RABBITMQ_URL} (${(error as Error).message}). These tests need a real broker: ` +
          'start it with `rabbitmq-server -detached` (or `docker run -d -p 5672:5672 rabbitmq:3`), ' +
          'or point RABBITMQ_URL at one.',
        { cause: error },
      );
    }
  });

  afterAll(() => admin?.close());

  beforeEach(async () => {
    names = uniqueNames();
    logs = [];
    channel = await admin.createConfirmChannel();
  });

  afterEach(async () => {
    if (!admin) return; // beforeAll said why
    await source?.stop();
    await sink?.close();
    await engine?.close();
    source = sink = engine = undefined;
    // A failed assertion may have closed the channel: clean up on a fresh one.
    const cleanup = await admin.createChannel();
    for (const queue of [names.queue, names.deadLetterQueue, names.watcher]) await cleanup.deleteQueue(queue);
    for (const exchange of [names.exchange, names.deadLetterExchange, names.lifecycle]) {
      await cleanup.deleteExchange(exchange);
    }
    await cleanup.close();
    await channel.close().catch(() => undefined);
  });

  function sourceOptions(more: Partial<RabbitMqEventSourceOptions> = {}): RabbitMqEventSourceOptions {
    return {
      url: RABBITMQ_URL,
      exchange: names.exchange,
      queue: names.queue,
      routingKeys: ['customer.*', 'order.*', 'shipment.*'],
      retryDelayMs: 50,
      reconnectDelayMs: 50,
      ...more,
    };
  }

  /** Starts `source` with the engine's handler, keeping every answer. */
  async function consume(started: RabbitMqEventSource, wrap: (handle: EventHandler) => EventHandler = (h) => h) {
    const handled: Handled[] = [];
    const handle = wrap(eventHandler((engine as Engine).client));
    source = started;
    await started.start(async (body, fallbackId) => {
      const result = await handle(body, fallbackId);
      handled.push({ fallbackId, result });
      return result;
    });
    return handled;
  }

  async function publish(routingKey: string, body: string | object, options: Options.Publish = {}): Promise<void> {
    const content = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    channel.publish(names.exchange, routingKey, content, { persistent: true, ...options });
    await channel.waitForConfirms();
  }

  async function messageCount(queue: string): Promise<number> {
    return (await channel.checkQueue(queue)).messageCount;
  }

  describe('when an event message arrives', () => {
    it('starts the saga it triggers, and acknowledges the message once the event is recorded', async () => {
      const calls: string[] = [];
      engine = new Engine(welcomeSaga(calls));
      const handled = await consume(new RabbitMqEventSource(sourceOptions(), recordingLogger(logs)));

      await publish(
        'customer.registered',
        { type: 'customer.registered', payload: { orderId: 'c-1' } },
        {
          messageId: 'registration-c-1',
        },
      );

      const [first] = await waitFor(
        async () => handled,
        (list) => list.length === 1,
      );
      expect(first.fallbackId).toBe('registration-c-1');
      expect(first.result).toMatchObject({ eventId: 'registration-c-1', started: [expect.any(String)] });
      const saga = await engine.waitUntilFinished(first.result.started[0]);
      expect(saga).toMatchObject({ name: 'welcome', status: 'completed', input: { orderId: 'c-1' } });
      expect(calls).toHaveLength(1);
      await waitFor(
        () => messageCount(names.queue),
        (count) => count === 0,
      );
    });

    it('resumes the waiting saga the message is for', async () => {
      const calls: string[] = [];
      engine = new Engine(deliverySaga(calls));
      const handled = await consume(new RabbitMqEventSource(sourceOptions(), recordingLogger(logs)));

      await publish('order.placed', {
        id: 'placed-o-1',
        type: 'order.placed',
        key: 'o-1',
        payload: { orderId: 'o-1' },
      });
      const [placed] = await waitFor(
        async () => handled,
        (list) => list.length === 1,
      );
      const sagaId = placed.result.started[0];
      await waitFor(
        () => engine!.client.get(sagaId),
        (saga) => saga.status === 'waiting',
      );

      await publish('shipment.delivered', { type: 'shipment.delivered', key: 'o-1', payload: { carrier: 'UPS' } });
      const saga = await engine.waitUntilFinished(sagaId);
      expect(saga.status).toBe('completed');
      expect(saga.steps[1]).toMatchObject({ status: 'succeeded', output: { carrier: 'UPS' } });
      // The handler's result is recorded after the engine has resumed the saga, which may already have finished.
      await waitFor(
        async () => handled,
        (list) => list.length === 2,
      );
      // A message that arrives between the saga's parking and its waiter's registration is kept, and taken by the
      // saga as it registers: `resumed` is then empty. Either way the saga was resumed by this event.
      expect([[sagaId], []]).toContainEqual(handled[1].result.resumed);
      const received = saga.history.find((entry) => entry.type === 'event.received');
      expect(received?.eventId).toBe(handled[1].result.eventId);
      // No id in the body, no messageId: the id is derived from the body, the same at every delivery.
      expect(handled[1].result.eventId).toMatch(/^amqp-body-[0-9a-f]{64}$/);
    });

    it('consumes only the routing keys bound', async () => {
      engine = new Engine(welcomeSaga([]));
      const handled = await consume(
        new RabbitMqEventSource(sourceOptions({ routingKeys: ['customer.registered'] }), recordingLogger(logs)),
      );
      await publish('customer.deleted', { type: 'customer.registered', payload: { orderId: 'c-9' } });
      await publish('customer.registered', { type: 'customer.registered', payload: { orderId: 'c-2' } });
      await waitFor(
        async () => handled,
        (list) => list.length === 1,
      );
      const saga = await engine.waitUntilFinished(handled[0].result.started[0]);
      expect(saga.input).toEqual({ orderId: 'c-2' });
    });
  });

  describe('when the consumer dies after the event is recorded, before the ack', () => {
    it('gets the message again, and the second delivery starts nothing more', async () => {
      const calls: string[] = [];
      engine = new Engine(welcomeSaga(calls));
      const cuttable = new CuttableSource(sourceOptions(), recordingLogger(logs));
      let cut = false;
      const handled = await consume(cuttable, (handle) => async (body, fallbackId) => {
        const result = await handle(body, fallbackId);
        if (!cut) {
          cut = true;
          await cuttable.cut(); // the event is recorded, the ack not sent
        }
        return result;
      });

      await publish('customer.registered', { type: 'customer.registered', payload: { orderId: 'c-3' } });

      const [first, second] = await waitFor(
        async () => handled,
        (list) => list.length === 2,
      );
      expect(second.fallbackId).toBe(first.fallbackId);
      expect(second.result).toEqual(first.result);
      expect(first.result.started).toHaveLength(1);
      const saga = await engine.waitUntilFinished(first.result.started[0]);
      expect(saga.status).toBe('completed');
      expect(calls).toHaveLength(1);
      expect(cuttable.connections).toHaveLength(2); // it reconnected by itself
      expect(logs).toContainEqual(expect.stringContaining('Lost the RabbitMQ connection'));
      await waitFor(
        () => messageCount(names.queue),
        (count) => count === 0,
      );
      expect(handled).toHaveLength(2);
    });
  });

  describe('when the event cannot be recorded for now (Redis unreachable)', () => {
    it('puts the message back after a delay, and records it once the engine answers again', async () => {
      engine = new Engine(welcomeSaga([]));
      const attempts: number[] = [];
      const handled = await consume(
        new RabbitMqEventSource(sourceOptions({ retryDelayMs: 100 }), recordingLogger(logs)),
        (handle) => async (body, fallbackId) => {
          attempts.push(Date.now());
          if (attempts.length < 3) throw new Error('Redis is unreachable');
          return handle(body, fallbackId);
        },
      );

      await publish('customer.registered', { type: 'customer.registered', payload: { orderId: 'c-4' } });

      await waitFor(
        async () => handled,
        (list) => list.length === 1,
      );
      expect(attempts).toHaveLength(3);
      // Held 100 ms, then 200 ms (doubled after a second failure in a row), before going back to the queue.
      expect(attempts[1] - attempts[0]).toBeGreaterThanOrEqual(90);
      expect(attempts[2] - attempts[1]).toBeGreaterThanOrEqual(190);
      expect((await engine.waitUntilFinished(handled[0].result.started[0])).status).toBe('completed');
      expect(await messageCount(names.deadLetterQueue)).toBe(0);
    });
  });

  describe('when a message is not a valid event', () => {
    it('sends it to the dead-letter queue with the reason, and goes on with the next message', async () => {
      engine = new Engine(welcomeSaga([]));
      const handled = await consume(new RabbitMqEventSource(sourceOptions({ prefetch: 1 }), recordingLogger(logs)));

      await publish('customer.registered', 'not json {', { messageId: 'poison-1', headers: { tenant: 'acme' } });
      await publish('customer.registered', { type: 42, payload: 'nope' }, { messageId: 'poison-2' });
      await publish('customer.registered', { type: 'customer.registered', payload: { orderId: 'c-5' } });

      await waitFor(
        async () => handled,
        (list) => list.length === 1,
      );
      expect((await engine.waitUntilFinished(handled[0].result.started[0])).status).toBe('completed');

      const dead: GetMessage[] = [];
      await waitFor(
        async () => {
          const message = await channel.get(names.deadLetterQueue, { noAck: true });
          if (message) dead.push(message);
          return dead;
        },
        (list) => list.length === 2,
      );
      const [notJson, invalid] = dead;
      expect(notJson.content.toString()).toBe('not json {');
      expect(notJson.properties).toMatchObject({ messageId: 'poison-1', deliveryMode: 2 });
      expect(notJson.properties.headers).toMatchObject({
        tenant: 'acme',
        [REASON_HEADER]: expect.stringContaining('the message body is not JSON'),
        'x-sagaflow-queue': names.queue,
        'x-sagaflow-original-exchange': names.exchange,
        'x-sagaflow-original-routing-key': 'customer.registered',
      });
      expect(invalid.properties.messageId).toBe('poison-2');
      expect(invalid.properties.headers?.[REASON_HEADER]).toMatch(/The event is invalid: .*type/);
      expect(await messageCount(names.queue)).toBe(0);
    });

    it("lands in the dead-letter queue through the queue's dead-letter exchange when rejected by anyone", async () => {
      engine = new Engine(welcomeSaga([]));
      // The topology a source declares, then a consumer that rejects, as an operator's script might.
      await consume(new RabbitMqEventSource(sourceOptions(), recordingLogger(logs)));
      await source!.stop();
      await publish('customer.registered', 'whatever');
      const message = await waitFor(
        () => channel.get(names.queue),
        (got): got is GetMessage => got !== false,
      );
      channel.nack(message as GetMessage, false, false);
      await waitFor(
        () => messageCount(names.deadLetterQueue),
        (count) => count === 1,
      );
    });
  });

  describe('when stopped', () => {
    it('finishes the message in hand, acknowledges it, and consumes no more', async () => {
      engine = new Engine(welcomeSaga([]));
      let entered!: () => void;
      const inHandler = new Promise<void>((resolve) => (entered = resolve));
      const handled = await consume(
        new RabbitMqEventSource(sourceOptions(), recordingLogger(logs)),
        (handle) => async (body, fallbackId) => {
          entered();
          await new Promise((resolve) => setTimeout(resolve, 300));
          return handle(body, fallbackId);
        },
      );
      await publish('customer.registered', { type: 'customer.registered', payload: { orderId: 'c-6' } });
      await inHandler;

      await source!.stop();
      expect(handled).toHaveLength(1);
      await publish('customer.registered', { type: 'customer.registered', payload: { orderId: 'c-7' } });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(handled).toHaveLength(1);
      expect(await messageCount(names.queue)).toBe(1); // only the one published after the stop
    });
  });

  describe('when the configuration does not fit the broker', () => {
    it('refuses to start against a broker that does not answer, saying where it looked', async () => {
      const nowhere = new RabbitMqEventSource(
        sourceOptions({ url: 'amqp://guest:secret@127.0.0.1:1' }),
        recordingLogger(logs),
      );
      await expect(nowhere.start(async () => Promise.reject(new Error('unused')))).rejects.toThrow(
        /RabbitMQ at amqp:\/\/guest:\*\*\*@127\.0\.0\.1:1 refused or did not answer/,
      );
    });

    it('refuses to start on a queue declared before with other arguments, asking to check the configuration', async () => {
      await channel.assertQueue(names.queue, { durable: true });
      engine = new Engine(welcomeSaga([]));
      await expect(consume(new RabbitMqEventSource(sourceOptions(), recordingLogger(logs)))).rejects.toThrow(
        /could not declare or consume queue .*PRECONDITION_FAILED.*Check your configuration/,
      );
      source = undefined;
    });
  });

  describe('the sink', () => {
    function lifecycleEvent(type: LifecycleEventType, n: number, step?: string): SagaLifecycleEvent {
      return {
        schemaVersion: LIFECYCLE_SCHEMA_VERSION,
        id: `1764090000000-${n}`,
        type,
        sagaId: 'saga-1',
        saga: 'checkout',
        status: type === 'saga.completed' ? 'completed' : 'running',
        ...(step && { step, attempt: 1 }),
        at: '2026-11-25T10:00:00.000Z',
      };
    }

    const events = [
      lifecycleEvent('saga.started', 0),
      lifecycleEvent('saga.step.succeeded', 1, 'reserve'),
      lifecycleEvent('saga.step.succeeded', 2, 'charge'),
      lifecycleEvent('saga.completed', 3),
    ];

    function sinkOptions(more: Partial<RabbitMqEventSinkOptions> = {}): RabbitMqEventSinkOptions {
      return { url: RABBITMQ_URL, exchange: names.lifecycle, ...more };
    }

    /** A queue of a consuming service, bound to the lifecycle exchange. */
    async function watch(bindingKey: string): Promise<void> {
      await channel.assertExchange(names.lifecycle, 'topic', { durable: true });
      await channel.assertQueue(names.watcher, { durable: false });
      await channel.bindQueue(names.watcher, names.lifecycle, bindingKey);
    }

    async function drain(queue: string): Promise<GetMessage[]> {
      const got: GetMessage[] = [];
      for (let message = await channel.get(queue); message; message = await channel.get(queue)) got.push(message);
      return got;
    }

    it('publishes each event as a persistent JSON message keyed by its type, in order, confirmed', async () => {
      await watch('saga.#');
      sink = new RabbitMqEventSink(sinkOptions(), recordingLogger(logs));
      await sink.start();

      await sink.publish(events);

      // Confirmed means routed: every message is in the bound queue when publish resolves.
      expect(await messageCount(names.watcher)).toBe(events.length);
      const received = await drain(names.watcher);
      expect(received.map((message) => JSON.parse(message.content.toString()))).toEqual(events);
      expect(received.map((message) => message.fields.routingKey)).toEqual(events.map((event) => event.type));
      expect(received[1].properties).toMatchObject({
        messageId: events[1].id,
        correlationId: 'saga-1',
        contentType: 'application/json',
        type: 'saga.step.succeeded',
        deliveryMode: 2,
        headers: { 'x-sagaflow-schema-version': LIFECYCLE_SCHEMA_VERSION },
      });
    });

    it('lets a consumer take only the events it binds to', async () => {
      await watch('saga.step.*');
      sink = new RabbitMqEventSink(sinkOptions(), recordingLogger(logs));
      await sink.start();
      await sink.publish(events);
      const received = await drain(names.watcher);
      expect(received.map((message) => (JSON.parse(message.content.toString()) as SagaLifecycleEvent).step)).toEqual([
        'reserve',
        'charge',
      ]);
    });

    it('opens the connection again at the next publish after it dropped', async () => {
      await watch('#');
      const cuttable = new CuttableSink(sinkOptions(), recordingLogger(logs));
      sink = cuttable;
      await sink.start();
      await cuttable.cut();
      await sink.publish(events.slice(0, 1));
      expect(cuttable.connections).toHaveLength(2);
      await sink.publish(events.slice(1));
      expect((await drain(names.watcher)).map((message) => message.properties.messageId)).toEqual(
        events.map((event) => event.id),
      );
    });
  });
});
