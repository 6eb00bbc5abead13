import type { ChannelModel, ConfirmChannel, Options } from 'amqplib';
import type { SagaLogger, EventSink, SagaLifecycleEvent } from '@sagaflow/core';
import { openAmqpConnection, redactUrl } from './amqp-connection';
import {
  resolveRabbitMqEventSinkOptions,
  type RabbitMqEventSinkOptions,
  type ResolvedRabbitMqEventSinkOptions,
} from './rabbitmq-event-sink-options';

/** The header that carries {@link SagaLifecycleEvent.schemaVersion}, so a consumer can route on it unparsed. @publicApi */
export const SCHEMA_VERSION_HEADER = 'x-sagaflow-schema-version';

/**
 * Publishes saga lifecycle events to a durable topic exchange of RabbitMQ, on a confirm channel: one persistent
 * JSON message per event, its routing key the event type (`saga.step.succeeded`), its `messageId` the event id
 * (for consumers to drop repeats), its `correlationId` the saga id. {@link publish} resolves once the broker has
 * confirmed every message. Events are published in order on one channel, so a queue bound to the exchange gets
 * them in that order.
 *
 * A dropped connection fails the publish in progress (the events stay in the outbox, to be published again) and
 * is opened again by the next publish.
 *
 * @publicApi
 */
export class RabbitMqEventSink implements EventSink {
  readonly name = 'rabbitmq';
  private readonly options: ResolvedRabbitMqEventSinkOptions;
  private connection?: ChannelModel;
  private channel?: ConfirmChannel;
  private opening?: Promise<ConfirmChannel>;
  private closed = false;

  /** @throws RangeError when an option is wrong */
  constructor(
    options: RabbitMqEventSinkOptions,
    private readonly logger: SagaLogger,
  ) {
    this.options = resolveRabbitMqEventSinkOptions(options);
  }

  /**
   * Connects and declares the exchange.
   * @throws Error when the broker does not answer or refuses the declaration
   */
  async start(): Promise<void> {
    this.closed = false;
    await this.open();
    this.logger.log(`Publishing lifecycle events to RabbitMQ exchange ${this.options.exchange}`, this.context());
  }

  async publish(events: readonly SagaLifecycleEvent[]): Promise<void> {
    if (events.length === 0) return;
    const channel = await this.open();
    const { exchange } = this.options;
    // A false return only says the socket's buffer is full: the message is queued all the same, and the batches
    // of the outbox are small, so waiting for the confirms is enough.
    for (const event of events)
      channel.publish(exchange, event.type, Buffer.from(JSON.stringify(event)), properties(event));
    await channel.waitForConfirms();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.opening?.catch(() => undefined);
    const connection = this.connection;
    this.connection = this.channel = undefined;
    await connection?.close().catch(() => undefined);
  }

  /** Opens a connection to the broker. Protected so that a test can get hold of it, to cut it. */
  protected openConnection(): Promise<ChannelModel> {
    return openAmqpConnection(this.options.url, this.options.connectionName);
  }

  /** The channel, opened (again) when there is none. */
  private open(): Promise<ConfirmChannel> {
    if (this.closed) return Promise.reject(new Error('This RabbitMQ event sink is closed; start it again to publish.'));
    if (this.channel) return Promise.resolve(this.channel);
    this.opening ??= this.connect().finally(() => (this.opening = undefined));
    return this.opening;
  }

  private async connect(): Promise<ConfirmChannel> {
    const connection = await this.openConnection();
    let dropped = false;
    connection.on('error', (error: Error) =>
      this.logger.warn(`RabbitMQ connection error: ${error.message}`, this.context()),
    );
    connection.on('close', () => {
      dropped = true;
      if (connection !== this.connection) return;
      this.connection = this.channel = undefined;
      if (!this.closed) this.logger.warn('Lost the RabbitMQ connection; the next publish reconnects', this.context());
    });
    try {
      const channel = await connection.createConfirmChannel();
      channel.on('error', (error: Error) =>
        this.logger.warn(`RabbitMQ channel error: ${error.message}`, this.context()),
      );
      // A channel the broker closed ends its connection too: the next publish opens both again.
      channel.on('close', () => void connection.close().catch(() => undefined));
      await channel.assertExchange(this.options.exchange, 'topic', { durable: true });
      if (dropped) throw new Error('the connection closed while it was being set up');
      if (this.closed) throw new Error('the sink was closed meanwhile');
      this.connection = connection;
      this.channel = channel;
      return channel;
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw new Error(
        `The RabbitMQ event sink could not declare exchange ${this.options.exchange} at ` +
          `${redactUrl(this.options.url)}: ${(error as Error).message}. An exchange that already exists must be a ` +
          'durable topic exchange. Check your configuration.',
        { cause: error },
      );
    }
  }

  private context(): Record<string, unknown> {
    return { sink: this.name, exchange: this.options.exchange, broker: redactUrl(this.options.url) };
  }
}

function properties(event: SagaLifecycleEvent): Options.Publish {
  const at = Date.parse(event.at);
  return {
    persistent: true,
    contentType: 'application/json',
    contentEncoding: 'utf-8',
    messageId: event.id,
    correlationId: event.sagaId,
    type: event.type,
    appId: 'sagaflow',
    // AMQP timestamps are whole seconds.
    ...(Number.isFinite(at) && { timestamp: Math.floor(at / 1_000) }),
    headers: { [SCHEMA_VERSION_HEADER]: event.schemaVersion },
  };
}
