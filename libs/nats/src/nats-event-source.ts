import type { SagaLogger, EventHandler, EventSource } from '@sagaflow/core';
import {
  headers,
  jetstream,
  jetstreamManager,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type NatsConnection,
} from './nats-client';
import { connectNats, natsServerList } from './nats-connection';
import {
  MSG_ID_HEADER,
  deadLetterHeaders,
  deadLetterMsgId,
  natsFallbackEventId,
  redeliveryDelayMs,
  supportsTermReason,
  type StreamPosition,
} from './nats-delivery';
import {
  resolveNatsEventSourceOptions,
  type NatsEventSourceOptions,
  type ResolvedNatsEventSourceOptions,
} from './nats-event-source-options';
import { ensureConsumer, ensureStream } from './nats-streams';
import { settleNatsMessage, type SettleContext } from './settle-nats-message';

const silent: SagaLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** The wait before consuming again after the consumer or its stream went away (they are then declared again). */
const RESUME_DELAY_MS = 1_000;

/**
 * Consumes events that start and resume sagas from NATS JetStream, through a durable pull consumer with explicit
 * acks that every worker process shares. A message is acknowledged only after the engine recorded its event; a
 * message that is not a valid event is copied to the dead-letter subject with the reason and terminated; any other
 * failure delivers it again later. A lost connection is reconnected by the client, and consuming goes on.
 *
 * The event id of a body without one is the message's `Nats-Msg-Id` header, else its place in the stream (see
 * {@link natsFallbackEventId}): the same on every redelivery, so a redelivered event is recorded once.
 * @publicApi
 */
export class NatsEventSource implements EventSource {
  readonly name = 'nats';
  private readonly settings: ResolvedNatsEventSourceOptions;
  private readonly logger: SagaLogger;
  private connection?: NatsConnection;
  private messages?: ConsumerMessages;
  private consuming?: Promise<void>;
  private stopping = false;
  private streamCreatedMs = 0;

  /** @throws {@link NatsOptionsInvalidError} naming the first option that is wrong. */
  constructor(private readonly options: NatsEventSourceOptions = {}) {
    this.settings = resolveNatsEventSourceOptions(options);
    this.logger = options.logger ?? silent;
  }

  /**
   * Connects, declares the streams (events and dead letters) and the durable consumer, and starts handing
   * messages to `handle`. Rejects when NATS cannot be reached ({@link NatsUnreachableError}) or refuses a
   * declaration.
   */
  async start(handle: EventHandler): Promise<void> {
    if (this.connection) throw new Error('This NATS event source is started already; stop it first.');
    this.stopping = false;
    const connection =
      this.options.connection ??
      (await connectNats(
        natsServerList(this.options.servers),
        `sagaflow-source-${this.settings.durable}`,
        this.logger,
      ));
    this.connection = connection;
    try {
      await this.declare(await jetstreamManager(connection));
    } catch (error) {
      await this.release();
      throw error;
    }
    const context = this.settleContext(handle, jetstream(connection), supportsTermReason(connection.info?.version));
    this.consuming = this.consume(connection, context);
    this.logger.log(`Consuming events from NATS stream ${this.settings.stream} as ${this.settings.durable}`);
  }

  /**
   * Stops pulling, finishes the messages already handed out (acked, or left to come back), then closes the
   * connection it opened. Waits for a `handle` call in progress, however long it takes.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    // The consuming loop gets what was already pulled, sends it back, and ends; it is what is waited for.
    void this.messages?.close();
    await this.consuming;
    this.consuming = undefined;
    await this.release();
  }

  private async release(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    if (!connection || connection.isClosed()) return;
    // Drain sends the acks still buffered; a shared connection is flushed and left open for its owner.
    if (this.options.connection) await connection.flush().catch(() => undefined);
    else await connection.drain().catch(() => connection.close());
  }

  private async declare(jsm: JetStreamManager): Promise<void> {
    const { settings } = this;
    await ensureStream(jsm, { name: settings.deadLetterStream, subjects: [settings.deadLetterSubject] });
    const stream = await ensureStream(jsm, { name: settings.stream, subjects: settings.subjects });
    this.streamCreatedMs = Date.parse(stream.created);
    await ensureConsumer(jsm, {
      stream,
      durable: settings.durable,
      subjects: settings.subjects,
      ackWaitMs: settings.ackWaitMs,
      maxDeliver: settings.maxDeliver,
    });
  }

  private settleContext(handle: EventHandler, js: JetStreamClient, termWithReason: boolean): SettleContext<JsMsg> {
    const { settings } = this;
    return {
      handle,
      fallbackId: (msg) => natsFallbackEventId(msg.headers?.get(MSG_ID_HEADER) || undefined, this.position(msg)),
      deadLetter: async (msg, reason) => {
        const copy = headers();
        for (const [key, values] of msg.headers ?? []) {
          if (!key.startsWith('Nats-')) values.forEach((value) => copy.append(key, value));
        }
        const about = { subject: msg.subject, deliveryCount: msg.info.deliveryCount, position: this.position(msg) };
        Object.entries(deadLetterHeaders(reason, about)).forEach(([key, value]) => copy.set(key, value));
        await js.publish(settings.deadLetterSubject, msg.data, {
          headers: copy,
          msgID: deadLetterMsgId(about.position),
        });
      },
      retryDelayMs: (deliveries) =>
        redeliveryDelayMs(deliveries, { baseMs: settings.retryDelayMs, maxMs: settings.maxRetryDelayMs }),
      maxDeliver: settings.maxDeliver,
      termWithReason,
      logger: this.logger,
    };
  }

  private position(msg: JsMsg): StreamPosition {
    return { stream: msg.info.stream, streamCreatedMs: this.streamCreatedMs, sequence: msg.seq };
  }

  /** Consumes until stopped; when the consumer or its stream is deleted under it, declares them again and goes on. */
  private async consume(connection: NatsConnection, context: SettleContext<JsMsg>): Promise<void> {
    const { settings } = this;
    const js = jetstream(connection);
    const inFlight = new Set<Promise<unknown>>();
    while (!this.stopping && !connection.isClosed()) {
      try {
        const consumer = await js.consumers.get(settings.stream, settings.durable);
        // A small buffer: a message waiting in it spends its ack wait there.
        this.messages = await consumer.consume({
          max_messages: Math.max(2 * settings.concurrency, 4),
          abort_on_missing_resource: true,
        });
        if (this.stopping) void this.messages.close();
        for await (const msg of this.messages) {
          if (this.stopping) {
            sendBack(msg); // handed out after stop(): straight back to the stream, for another worker
            continue;
          }
          const settling = settleNatsMessage(msg, context)
            .catch((error: Error) => this.logger.error(`Event message left unsettled: ${error.message}`))
            .finally(() => inFlight.delete(settling));
          inFlight.add(settling);
          if (inFlight.size >= settings.concurrency) await Promise.race(inFlight);
        }
      } catch (error) {
        if (!this.stopping && !connection.isClosed()) {
          this.logger.warn(`NATS consumer ${settings.durable} stopped: ${(error as Error).message}; resuming`);
        }
      } finally {
        await Promise.all(inFlight);
      }
      if (this.stopping || connection.isClosed()) break;
      await new Promise((resolve) => setTimeout(resolve, RESUME_DELAY_MS));
      try {
        await this.declare(await jetstreamManager(connection));
      } catch (error) {
        // Disconnected, or the server refuses: tried again on the next turn.
        this.logger.error(`Could not declare NATS stream ${settings.stream} again: ${(error as Error).message}`);
      }
    }
  }
}

function sendBack(msg: JsMsg): void {
  try {
    msg.nak();
  } catch {
    // The connection is gone: the message comes back after its ack wait all the same.
  }
}
