import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import type { Channel, ChannelModel } from 'amqplib';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect as connectNats, type NatsConnection } from '@nats-io/transport-node';
import type { SagaLifecycleEvent } from '@sagaflow/core';
import type { Redis } from 'ioredis';
import { order } from '../checkout/order.fixture';
import { SagaflowSystem } from '../support/apps';
import { connect } from '../support/redis';
import { waitFor } from '../support/wait-for';

/** Reads a Server-Sent Events response to its end: each event's name and data. */
async function readEvents(response: Response): Promise<{ event: string; data: Record<string, unknown> }[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.includes('event: '))
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((line) => line.startsWith('event: '))?.slice(7) ?? '';
      const data = lines.find((line) => line.startsWith('data: '))?.slice(6) ?? '{}';
      return { event, data: JSON.parse(data) as Record<string, unknown> };
    });
}

/** What a transfer to a closed account tells: its debit is given back. */
const COMPENSATED = [
  'saga.started',
  'saga.step.succeeded debitSource',
  'saga.step.failed creditDestination',
  'saga.compensating',
  'saga.compensated',
];
const told = (events: SagaLifecycleEvent[]) =>
  events.map((event) => `${event.type}${event.step ? ` ${event.step}` : ''}`);

/** Starts a transfer to a closed account over the API; it ends compensated. */
async function compensatedTransfer(system: SagaflowSystem, transferId: string): Promise<string> {
  const started = await system.request<{ id: string }>('POST', '/sagas/transfer', {
    transferId,
    fromAccount: 'acct-alice',
    toAccount: 'closed-1',
    amountCents: 100,
  });
  return started.body.id;
}

describe('lifecycle events and the Redis Streams broker, over the built processes', () => {
  let system: SagaflowSystem;
  let redis: Redis;

  beforeAll(async () => {
    system = await SagaflowSystem.start({ env: { SAGAFLOW_SOURCES: 'redis-stream', SAGAFLOW_SINKS: 'redis-stream' } });
    redis = connect();
  });
  afterAll(async () => {
    await redis.quit();
    await system.stop();
  });

  it('streams one saga from start to end as Server-Sent Events', async () => {
    const started = await system.request<{ id: string }>('POST', '/sagas/transfer', {
      transferId: 'sse-1',
      fromAccount: 'acct-alice',
      toAccount: 'acct-bob',
      amountCents: 100,
    });
    const response = await fetch(`${system.baseUrl}/sagas/${started.body.id}/events`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = await readEvents(response);

    expect(events[0]).toEqual({ event: 'saga', data: expect.objectContaining({ id: started.body.id }) });
    expect(events.slice(1).map(({ event, data }) => [event, data.step ?? ''])).toEqual([
      ['saga.started', ''],
      ['saga.step.succeeded', 'debitSource'],
      ['saga.step.succeeded', 'creditDestination'],
      ['saga.completed', ''],
    ]);
    expect(events.slice(1).every(({ data }) => data.sagaId === started.body.id && data.schemaVersion === 1)).toBe(true);
  });

  it('answers 404 for the events of a saga that does not exist', async () => {
    const response = await fetch(`${system.baseUrl}/sagas/00000000-0000-7000-8000-000000000000/events`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'SAGA.NOT_FOUND' });
  });

  it('starts a saga from an entry of the source stream, and publishes what it does to the sink stream, in order', async () => {
    const event = {
      id: 'stream-transfer-1',
      type: 'transfer.requested',
      payload: { transferId: 'st-1', fromAccount: 'acct-alice', toAccount: 'closed-1', amountCents: 100 },
    };
    // No saga starts on transfer.requested: the entry is recorded, acknowledged and starts nothing.
    await redis.xadd(`${system.prefix}:events-in`, '*', 'event', JSON.stringify(event));
    const placed = { id: 'stream-order-1', type: 'order.placed', payload: order() };
    await redis.xadd(`${system.prefix}:events-in`, '*', 'event', JSON.stringify(placed));
    const checkout = await waitFor(
      () => system.request<{ items: { id: string; name: string }[] }>('GET', '/sagas?name=checkout'),
      (page) => page.body.items.length === 1,
    );
    const sagaId = checkout.body.items[0].id;
    const published = await waitFor(
      async () =>
        (await redis.xrange(`${system.prefix}:lifecycle-out`, '-', '+'))
          .map(([, fields]) => JSON.parse(fields[fields.indexOf('event') + 1]) as SagaLifecycleEvent)
          .filter((lifecycle) => lifecycle.sagaId === sagaId),
      (events) =>
        events.some((lifecycle) => lifecycle.type === 'saga.step.succeeded' && lifecycle.step === 'shipOrder'),
    );
    expect(published.map((lifecycle) => lifecycle.type).slice(0, 4)).toEqual([
      'saga.started',
      'saga.step.succeeded',
      'saga.step.succeeded',
      'saga.step.succeeded',
    ]);
    const ids = published.map((lifecycle) => lifecycle.id);
    expect([...ids].sort()).toEqual(ids);
  });

  it("publishes a compensated saga's events to the sink stream, in order", async () => {
    const sagaId = await compensatedTransfer(system, 'sink-comp-1');
    const events = await waitFor(
      async () =>
        (await redis.xrange(`${system.prefix}:lifecycle-out`, '-', '+'))
          .map(([, fields]) => JSON.parse(fields[fields.indexOf('event') + 1]) as SagaLifecycleEvent)
          .filter((lifecycle) => lifecycle.sagaId === sagaId),
      (found) => found.some((lifecycle) => lifecycle.type === 'saga.compensated'),
    );
    expect(told(events)).toEqual(COMPENSATED);
  });
});

describe('the RabbitMQ source and sink, over the built processes', () => {
  const url = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
  const names = { exchange: '', queue: '', sinkExchange: '' };
  let system: SagaflowSystem;
  let connection: ChannelModel;
  let channel: Channel;
  const received: SagaLifecycleEvent[] = [];

  beforeAll(async () => {
    const suffix = randomUUID().slice(0, 8);
    Object.assign(names, {
      exchange: `test-in-${suffix}`,
      queue: `test-in-${suffix}`,
      sinkExchange: `test-out-${suffix}`,
    });
    connection = await amqp.connect(url).catch((error: Error) => {
      throw new Error(`RabbitMQ does not answer at ${url} (${error.message}): start it with rabbitmq-server -detached`);
    });
    channel = await connection.createChannel();
    await channel.assertExchange(names.sinkExchange, 'topic', { durable: true });
    const { queue } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(queue, names.sinkExchange, 'saga.#');
    await channel.consume(queue, (message) => {
      if (message) received.push(JSON.parse(message.content.toString()) as SagaLifecycleEvent);
    });
    system = await SagaflowSystem.start({
      env: {
        SAGAFLOW_SOURCES: 'rabbitmq',
        SAGAFLOW_SINKS: 'rabbitmq',
        SAGAFLOW_RABBITMQ_URL: url,
        SAGAFLOW_RABBITMQ_EXCHANGE: names.exchange,
        SAGAFLOW_RABBITMQ_QUEUE: names.queue,
        SAGAFLOW_RABBITMQ_ROUTING_KEYS: 'order.*',
        SAGAFLOW_RABBITMQ_SINK_EXCHANGE: names.sinkExchange,
      },
    });
  });

  afterAll(async () => {
    await system?.stop();
    for (const queue of [names.queue, `${names.queue}.dlq`]) await channel.deleteQueue(queue);
    for (const exchange of [names.exchange, names.sinkExchange, `${names.queue}.dlx`]) {
      await channel.deleteExchange(exchange);
    }
    await connection.close();
  });

  it('starts a checkout from an order.placed message, and publishes what it does to the sink exchange in order', async () => {
    const input = order();
    channel.publish(
      names.exchange,
      'order.placed',
      Buffer.from(JSON.stringify({ type: 'order.placed', payload: input })),
      {
        messageId: `rabbit-${input.orderId}`,
        contentType: 'application/json',
      },
    );
    const page = await waitFor(
      () => system.request<{ items: { id: string }[] }>('GET', '/sagas?name=checkout'),
      (listed) => listed.body.items.length === 1,
    );
    const sagaId = page.body.items[0].id;
    await waitFor(
      async () => received.filter((event) => event.sagaId === sagaId),
      (events) => events.some((event) => event.step === 'shipOrder'),
    );
    const types = received.filter((event) => event.sagaId === sagaId).map((event) => event.step ?? event.type);
    expect(types.slice(0, 4)).toEqual(['saga.started', 'reserveInventory', 'chargePayment', 'shipOrder']);
  });

  it("publishes a compensated saga's events to the sink exchange, in order", async () => {
    const sagaId = await compensatedTransfer(system, 'rabbit-comp-1');
    const events = await waitFor(
      async () => received.filter((event) => event.sagaId === sagaId),
      (found) => found.some((event) => event.type === 'saga.compensated'),
    );
    expect(told(events)).toEqual(COMPENSATED);
  });
});

describe('the NATS JetStream source and sink, over the built processes', () => {
  const servers = process.env.NATS_URL ?? '127.0.0.1:4222';
  const suffix = randomUUID().slice(0, 8);
  const names = {
    stream: `TEST_IN_${suffix}`,
    subject: `test.${suffix}.events`,
    sinkStream: `TEST_OUT_${suffix}`,
    sinkPrefix: `test.${suffix}.lifecycle`,
  };
  let system: SagaflowSystem;
  let nats: NatsConnection;

  beforeAll(async () => {
    nats = await connectNats({ servers }).catch((error: Error) => {
      throw new Error(
        `NATS does not answer at ${servers} (${error.message}): start it with ` +
          'start-stop-daemon --start --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js',
      );
    });
    system = await SagaflowSystem.start({
      env: {
        SAGAFLOW_SOURCES: 'nats',
        SAGAFLOW_SINKS: 'nats',
        SAGAFLOW_NATS_URL: servers,
        SAGAFLOW_NATS_STREAM: names.stream,
        SAGAFLOW_NATS_SUBJECTS: `${names.subject}.>`,
        SAGAFLOW_NATS_DURABLE: `test-${suffix}`,
        SAGAFLOW_NATS_DEAD_LETTER_SUBJECT: `test.${suffix}.dead`,
        SAGAFLOW_NATS_SINK_STREAM: names.sinkStream,
        SAGAFLOW_NATS_SINK_SUBJECT_PREFIX: names.sinkPrefix,
      },
    });
  });

  /** The lifecycle events of a saga in the sink stream, in stream order. */
  async function published(sagaId: string): Promise<SagaLifecycleEvent[]> {
    const manager = await jetstreamManager(nats);
    const info = await manager.streams.info(names.sinkStream).catch(() => undefined);
    const found: SagaLifecycleEvent[] = [];
    for (let seq = 1; seq <= (info?.state.last_seq ?? 0); seq++) {
      const event = (await manager.streams.getMessage(names.sinkStream, { seq }))?.json<SagaLifecycleEvent>();
      if (event?.sagaId === sagaId) found.push(event);
    }
    return found;
  }

  afterAll(async () => {
    await system?.stop();
    const manager = await jetstreamManager(nats);
    for (const stream of [names.stream, names.sinkStream, `${names.stream}_DEAD_LETTER`]) {
      await manager.streams.delete(stream).catch(() => undefined);
    }
    await nats.close();
  });

  it('starts a checkout from an order.placed message, and publishes what it does to the sink stream in order', async () => {
    const input = order();
    await jetstream(nats).publish(
      `${names.subject}.order.placed`,
      JSON.stringify({ type: 'order.placed', payload: input }),
      {
        msgID: `nats-${input.orderId}`,
      },
    );
    const page = await waitFor(
      () => system.request<{ items: { id: string }[] }>('GET', '/sagas?name=checkout'),
      (listed) => listed.body.items.length === 1,
    );
    const sagaId = page.body.items[0].id;
    const events = await waitFor(
      () => published(sagaId),
      (found) => found.some((event) => event.step === 'shipOrder'),
    );
    expect(events.map((event) => event.step ?? event.type).slice(0, 4)).toEqual([
      'saga.started',
      'reserveInventory',
      'chargePayment',
      'shipOrder',
    ]);
  });

  it("publishes a compensated saga's events to the sink stream, in order", async () => {
    const sagaId = await compensatedTransfer(system, 'nats-comp-1');
    const events = await waitFor(
      () => published(sagaId),
      (found) => found.some((event) => event.type === 'saga.compensated'),
    );
    expect(told(events)).toEqual(COMPENSATED);
  });
});
