import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import {
  LIFECYCLE_SCHEMA_VERSION,
  eventHandler,
  type EventHandler,
  type PublishResult,
  type SagaLifecycleEvent,
} from '@sagaflow/core';
import {
  NatsDeadLetterHeaders,
  NatsEventSink,
  NatsEventSource,
  NatsUnreachableError,
  type NatsEventSourceOptions,
} from '@sagaflow/nats';
import { Engine } from '../engine/engine.fixture';
import { waitFor } from '../support/wait-for';
import { deliverySaga, recordingLogger, welcomeSaga } from './broker.fixture';

const NATS_URL = process.env.NATS_URL ?? '127.0.0.1:4222';

/** A nats-server of a test's own, on a free port with its own store, to stop and start again. */
class OwnNatsServer {
  private process?: ChildProcess;
  readonly dir = mkdtempSync(join(tmpdir(), 'sagaflow-nats-'));

  private constructor(
    private readonly binary: string,
    readonly port: number,
  ) {}

  static async create(): Promise<OwnNatsServer> {
    const binary = process.env.NATS_SERVER_BIN ?? 'nats-server';
    const found = spawnSync(binary, ['--version'], { env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin` } });
    if (found.status !== 0) {
      throw new Error(
        `This test runs a nats-server of its own and found none (${binary}): install it (apt-get install nats-server) ` +
          'or point NATS_SERVER_BIN at one.',
      );
    }
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    return new OwnNatsServer(binary, port);
  }

  get url(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const args = ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.dir];
    this.process = spawn(this.binary, args, {
      stdio: 'ignore',
      env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin` },
    });
    await waitFor(
      () =>
        connect({ servers: this.url, maxReconnectAttempts: 0 }).then(
          (probe) => probe.close().then(() => true),
          () => false,
        ),
      (up) => up,
      { timeoutMs: 10_000 },
    );
  }

  /** As a crash: SIGKILL, no goodbye to the clients. */
  async kill(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGKILL');
    });
  }

  async remove(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A delivery the source handed to the engine: the fallback id it gave, and what the engine answered. */
interface Handled {
  fallbackId: string;
  result: PublishResult;
}

/** Streams, subjects and consumer of its own for each test, deleted after it. */
function uniqueNames() {
  const id = randomUUID().slice(0, 8);
  return {
    stream: `TEST_${id}_EVENTS`,
    subjects: [`test.${id}.events.>`],
    subject: (type: string) => `test.${id}.events.${type}`,
    durable: `test-${id}-engine`,
    deadLetterSubject: `test.${id}.dead-letter`,
    deadLetterStream: `TEST_${id}_DEAD_LETTER`,
    lifecycleStream: `TEST_${id}_LIFECYCLE`,
    lifecyclePrefix: `test.${id}.lifecycle`,
  };
}

describe('NATS JetStream event source and sink', () => {
  let admin: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let names = uniqueNames();
  let engine: Engine | undefined;
  let sources: NatsEventSource[] = [];
  let sink: NatsEventSink | undefined;
  let logs: string[];

  beforeAll(async () => {
    try {
      admin = await connect({ servers: NATS_URL, timeout: 3_000, maxReconnectAttempts: 0 });
      jsm = await jetstreamManager(admin);
    } catch (error) {
      throw new Error(
        `NATS with JetStream does not answer at ${NATS_URL} (${(error as Error).message}). These tests need a real ` +
          'server: start it with `start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- ' +
          '-a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log` ' +
          '(or `nats-server -js`, or `docker run -d -p 4222:4222 nats -js`), or point NATS_URL at one.',
        { cause: error },
      );
    }
    js = jetstream(admin);
  });

  afterAll(() => admin?.close());

  beforeEach(() => {
    names = uniqueNames();
    logs = [];
    sources = [];
  });

  afterEach(async () => {
    for (const source of sources) await source.stop();
    await sink?.close();
    await engine?.close();
    sink = engine = undefined;
    for (const stream of [names.stream, names.deadLetterStream, names.lifecycleStream]) {
      await jsm?.streams.delete(stream).catch(() => false);
    }
  });

  function sourceOptions(more: Partial<NatsEventSourceOptions> = {}): NatsEventSourceOptions {
    return {
      servers: NATS_URL,
      stream: names.stream,
      subjects: names.subjects,
      durable: names.durable,
      deadLetterSubject: names.deadLetterSubject,
      deadLetterStream: names.deadLetterStream,
      retryDelay: 50,
      logger: recordingLogger(logs),
      ...more,
    };
  }

  /** Starts a source with the engine's handler, keeping every answer. */
  async function consume(
    options: NatsEventSourceOptions = sourceOptions(),
    wrap: (handle: EventHandler) => EventHandler = (handle) => handle,
  ): Promise<Handled[]> {
    const handled: Handled[] = [];
    const handle = wrap(eventHandler((engine as Engine).client));
    const source = new NatsEventSource(options);
    sources.push(source);
    await source.start(async (body, fallbackId) => {
      const result = await handle(body, fallbackId);
      handled.push({ fallbackId, result });
      return result;
    });
    return handled;
  }

  async function publish(type: string, body: string | object, msgID?: string): Promise<void> {
    await js.publish(names.subject(type), typeof body === 'string' ? body : JSON.stringify(body), { msgID });
  }

  /** Waits until the durable consumer has every message of its stream delivered and settled. */
  async function allSettled(): Promise<void> {
    await waitFor(
      () => jsm.consumers.info(names.stream, names.durable),
      (info) => info.num_pending === 0 && info.num_ack_pending === 0,
    );
  }

  describe('when an event message arrives', () => {
    it('starts the saga it triggers, with the Nats-Msg-Id as event id, and acks the message once recorded', async () => {
      const calls: string[] = [];
      engine = new Engine(welcomeSaga(calls));
      const handled = await consume();
      await publish('customer', { type: 'customer.registered', payload: { orderId: 'o-1' } }, 'registered-o-1');

      const [first] = await waitFor(
        async () => handled,
        (all) => all.length === 1,
      );
      expect(first.fallbackId).toBe('registered-o-1');
      expect(first.result).toMatchObject({ eventId: 'registered-o-1', started: [expect.any(String)] });
      const saga = await engine.waitUntilFinished(first.result.started[0]);
      expect(saga).toMatchObject({ status: 'completed', input: { orderId: 'o-1' } });
      await allSettled();
      const consumer = await jsm.consumers.info(names.stream, names.durable);
      expect(consumer).toMatchObject({ num_redelivered: 0, delivered: { stream_seq: 1 } });
      expect(consumer.config).toMatchObject({ ack_policy: AckPolicy.Explicit, durable_name: names.durable });
    });

    it('resumes a waiting saga with the correlated event', async () => {
      engine = new Engine(deliverySaga([]));
      const handled = await consume();
      const { id } = await engine.client.start('delivery', { orderId: 'o-2' });
      await waitFor(
        () => (engine as Engine).client.get(id),
        (saga) => saga.status === 'waiting',
      );

      await publish('shipment', { type: 'shipment.delivered', key: 'o-2', payload: { carrier: 'UPS' } });
      const saga = await engine.waitUntilFinished(id);
      expect(saga.status).toBe('completed');
      expect(saga.steps[1]).toMatchObject({ status: 'succeeded', output: { carrier: 'UPS' } });
      // The handler's result is recorded after the engine has resumed the saga, which may already have finished.
      const results = await waitFor(
        async () => handled,
        (all) => all.length === 1,
      );
      expect(results.map(({ result }) => result.resumed)).toEqual([[id]]);
      await allSettled();
    });
  });

  describe('when the worker crashes after the event was recorded and before the ack', () => {
    it('gets the message again after the ack wait, under the same event id, and starts the saga only once', async () => {
      const calls: string[] = [];
      engine = new Engine(welcomeSaga(calls));
      const options = sourceOptions({ ackWait: '1s' });
      // The first worker's connection dies right after the event is recorded: its ack is never sent.
      const doomed = await connect({ servers: NATS_URL });
      const crashed = await consume({ ...options, connection: doomed }, (handle) => async (body, fallbackId) => {
        const result = await handle(body, fallbackId);
        await doomed.close();
        return result;
      });
      await publish('customer', { type: 'customer.registered', payload: { orderId: 'o-3' } });
      await waitFor(
        async () => crashed,
        (all) => all.length === 1,
      );
      const consumer = await jsm.consumers.info(names.stream, names.durable);
      expect(consumer.num_ack_pending).toBe(1);

      // Another worker takes over: the server delivers the message again once its ack wait is over.
      const redelivered = await consume(options);
      const [again] = await waitFor(
        async () => redelivered,
        (all) => all.length === 1,
      );
      expect(again.fallbackId).toBe(crashed[0].fallbackId);
      expect(again.fallbackId).toMatch(new RegExp(`^nats-${names.stream}-\\d+-1$`));
      expect(again.result).toEqual(crashed[0].result);
      await engine.waitUntilFinished(again.result.started[0]);
      await allSettled();
      expect((await jsm.consumers.info(names.stream, names.durable)).num_redelivered).toBe(0);
      expect(calls.filter((call) => call.startsWith('run greet'))).toHaveLength(1);
    });
  });

  describe('when a message is not a valid event', () => {
    it('dead-letters it with the reason, terminates it, and goes on with the next message', async () => {
      const calls: string[] = [];
      engine = new Engine(welcomeSaga(calls));
      const handled = await consume();
      await publish('customer', 'this is not JSON');
      await publish('customer', { type: 42, payload: { orderId: 'o-4' } });
      await publish('customer', { type: 'customer.registered', payload: { orderId: 'o-5' } });

      const [good] = await waitFor(
        async () => handled,
        (all) => all.length === 1,
      );
      const saga = await engine.waitUntilFinished(good.result.started[0]);
      expect(saga.input).toEqual({ orderId: 'o-5' });
      await allSettled();
      const consumer = await jsm.consumers.info(names.stream, names.durable);
      expect(consumer.num_redelivered).toBe(0);

      const dead = await Promise.all([1, 2].map((seq) => jsm.streams.getMessage(names.deadLetterStream, { seq })));
      expect(dead.map((message) => message?.string())).toEqual([
        'this is not JSON',
        JSON.stringify({ type: 42, payload: { orderId: 'o-4' } }),
      ]);
      expect(dead.map((message) => message?.subject)).toEqual([names.deadLetterSubject, names.deadLetterSubject]);
      const [notJson, notEvent] = dead.map((message) => message?.header);
      expect(notJson?.get(NatsDeadLetterHeaders.reason)).toContain('the message body is not JSON');
      expect(notEvent?.get(NatsDeadLetterHeaders.reason)).toMatch(/The event is invalid: type/);
      expect(notEvent?.get(NatsDeadLetterHeaders.subject)).toBe(names.subject('customer'));
      expect(notEvent?.get(NatsDeadLetterHeaders.sequence)).toBe('2');
      expect(notEvent?.get(NatsDeadLetterHeaders.stream)).toBe(names.stream);
      expect((await jsm.streams.info(names.deadLetterStream)).state.messages).toBe(2);
    });
  });

  describe('when the event cannot be recorded for now', () => {
    it('delivers the message again later, and dead-letters it with the error after its last delivery', async () => {
      engine = new Engine(welcomeSaga([]));
      // Every delivery of o-6 finds Redis away; o-7, behind it, is recorded meanwhile.
      const handled = await consume(sourceOptions({ maxDeliver: 3 }), (handle) => async (body, fallbackId) => {
        if (String(body).includes('o-6')) throw new Error('Redis is unreachable');
        return handle(body, fallbackId);
      });
      await publish('customer', { type: 'customer.registered', payload: { orderId: 'o-6' } });
      await publish('customer', { type: 'customer.registered', payload: { orderId: 'o-7' } });

      const [later] = await waitFor(
        async () => handled,
        (all) => all.length === 1,
      );
      expect(later.result.started).toHaveLength(1);
      await allSettled();
      const dead = await jsm.streams.getMessage(names.deadLetterStream, { seq: 1 });
      expect(dead?.json()).toEqual({ type: 'customer.registered', payload: { orderId: 'o-6' } });
      expect(dead?.header.get(NatsDeadLetterHeaders.reason)).toBe(
        'Not recorded after 3 deliveries: Redis is unreachable',
      );
      expect(dead?.header.get(NatsDeadLetterHeaders.deliveries)).toBe('3');
    });
  });

  describe('when its durable consumer is deleted under it', () => {
    it('declares it again and goes on consuming', async () => {
      engine = new Engine(welcomeSaga([]));
      const handled = await consume();
      // Once its pull request is waiting at the server, which then tells it of the deletion at once.
      await waitFor(
        () => jsm.consumers.info(names.stream, names.durable),
        (info) => info.num_waiting > 0,
      );
      await jsm.consumers.delete(names.stream, names.durable);
      await publish('customer', { type: 'customer.registered', payload: { orderId: 'o-8' } });
      await waitFor(
        async () => handled,
        (all) => all.length === 1,
        { timeoutMs: 15_000 },
      );
      await allSettled();
      expect(logs).toContain(`warn NATS consumer ${names.durable} stopped: consumer deleted; resuming`);
    });
  });

  describe('when the NATS server goes away and comes back', () => {
    let server: OwnNatsServer | undefined;
    afterEach(async () => {
      // Before the shared afterEach: the source's connection must be able to close.
      for (const source of sources) await source.stop();
      sources = [];
      await server?.remove();
      server = undefined;
    });

    it('reconnects on its own and goes on consuming from its durable consumer', async () => {
      server = await OwnNatsServer.create();
      await server.start();
      engine = new Engine(welcomeSaga([]));
      const handled = await consume(sourceOptions({ servers: server.url }));
      const publisher = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
      try {
        const own = jetstream(publisher);
        await own.publish(
          names.subject('customer'),
          JSON.stringify({ type: 'customer.registered', payload: { orderId: 'o-9' } }),
        );
        await waitFor(
          async () => handled,
          (all) => all.length === 1,
        );

        await server.kill();
        await server.start();
        await own.publish(
          names.subject('customer'),
          JSON.stringify({ type: 'customer.registered', payload: { orderId: 'o-10' } }),
          {
            retries: 20,
          },
        );
        const both = await waitFor(
          async () => handled,
          (all) => all.length === 2,
        );
        const sagas = await Promise.all(
          both.map(({ result }) => (engine as Engine).waitUntilFinished(result.started[0])),
        );
        expect(sagas.map((saga) => saga.input)).toEqual([{ orderId: 'o-9' }, { orderId: 'o-10' }]);
        expect(
          logs.some((line) => line.startsWith('warn NATS connection') && line.endsWith('lost; reconnecting')),
        ).toBe(true);
        expect(logs.some((line) => line.startsWith('log NATS connection') && line.endsWith('back'))).toBe(true);
      } finally {
        await publisher.close();
      }
    });
  });

  it('fails to start, saying how to fix it, when no NATS server answers', async () => {
    const source = new NatsEventSource(sourceOptions({ servers: '127.0.0.1:1' }));
    const started = source.start(() => Promise.reject(new Error('no message can come')));
    await expect(started).rejects.toThrow(NatsUnreachableError);
    await expect(started).rejects.toThrow(/No NATS server answered at 127\.0\.0\.1:1 .*nats-server -js/);
  });

  describe('the sink', () => {
    function lifecycleEvent(n: number, type: SagaLifecycleEvent['type'], step?: string): SagaLifecycleEvent {
      return {
        schemaVersion: LIFECYCLE_SCHEMA_VERSION,
        id: `1764090000000-${n}`,
        type,
        sagaId: 'saga-1',
        saga: 'welcome',
        status: type === 'saga.completed' ? 'completed' : 'running',
        ...(step && { step, attempt: 1 }),
        at: new Date(1764090000000 + n).toISOString(),
      };
    }

    it('publishes lifecycle events on one subject per type, confirmed, in order, and once per event id', async () => {
      sink = new NatsEventSink({
        servers: NATS_URL,
        stream: names.lifecycleStream,
        subjectPrefix: names.lifecyclePrefix,
        logger: recordingLogger(logs),
      });
      await sink.start();
      const events = [
        lifecycleEvent(0, 'saga.started'),
        lifecycleEvent(1, 'saga.step.succeeded', 'greet'),
        lifecycleEvent(2, 'saga.completed'),
      ];
      await sink.publish(events.slice(0, 2));
      // The outbox tries a batch again when an ack was lost: JetStream drops the events it has already.
      await sink.publish(events);
      expect((await jsm.streams.info(names.lifecycleStream)).state.messages).toBe(3);

      // A consumer of another service reads them back.
      await jsm.consumers.add(names.lifecycleStream, {
        durable_name: 'reader',
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        filter_subject: `${names.lifecyclePrefix}.>`,
      });
      const reader = await js.consumers.get(names.lifecycleStream, 'reader');
      const batch = await reader.fetch({ max_messages: 3, expires: 2_000 });
      const read = [];
      for await (const message of batch) {
        read.push(message);
        message.ack();
      }
      expect(read.map((message) => message.json())).toEqual(events);
      expect(read.map((message) => message.subject)).toEqual([
        `${names.lifecyclePrefix}.saga.started`,
        `${names.lifecyclePrefix}.saga.step.succeeded`,
        `${names.lifecyclePrefix}.saga.completed`,
      ]);
      expect(read.map((message) => message.headers?.get('Nats-Msg-Id'))).toEqual(events.map((event) => event.id));
      expect(read.map((message) => message.headers?.get('Sagaflow-Schema-Version'))).toEqual(['1', '1', '1']);
      expect(read[1].headers?.get('Sagaflow-Event-Type')).toBe('saga.step.succeeded');
    });

    it('refuses to publish before it is started', async () => {
      sink = new NatsEventSink({ servers: NATS_URL, stream: names.lifecycleStream });
      await expect(sink.publish([lifecycleEvent(0, 'saga.started')])).rejects.toThrow(/call start\(\) before publish/);
    });
  });
});
