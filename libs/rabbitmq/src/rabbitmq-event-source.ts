import type { ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { EventInvalidError, type SagaLogger, refusalReason, type EventHandler, type EventSource } from '@sagaflow/core';
import { openAmqpConnection, redactUrl } from './amqp-connection';
import { backoffDelay } from './backoff-delay';
import { deadLetterProperties } from './dead-letter-properties';
import { messageEventId } from './message-event-id';
import {
  resolveRabbitMqEventSourceOptions,
  type RabbitMqEventSourceOptions,
  type ResolvedRabbitMqEventSourceOptions,
} from './rabbitmq-event-source-options';

/** What became of a delivery: recorded, refused for good (to the dead-letter queue), or back to the queue. */
type Outcome = 'ack' | 'reject' | 'requeue';

/**
 * Consumes the events that start and resume sagas from a RabbitMQ queue, bound to a topic exchange.
 *
 * - A message is acknowledged only once its event is durably recorded. If the process dies before that, the
 *   broker delivers the message again, and its event id ({@link messageEventId} when the body has none) makes the
 *   second delivery change nothing.
 * - A message that is not a valid event is copied to the dead-letter queue with the reason in its
 *   `x-sagaflow-reason` header (confirmed by the broker), then acknowledged: it does not block the queue. Should
 *   that copy fail, the message is rejected, and the queue's `x-dead-letter-exchange` takes it there without the
 *   reason. (RabbitMQ's own dead-lettering carries no free text, hence the copy.)
 * - A message whose event could not be recorded (Redis unreachable) is held a little, then put back in the queue.
 * - A dropped connection is opened again, with a growing delay, until {@link stop}.
 *
 * @publicApi
 */
export class RabbitMqEventSource implements EventSource {
  readonly name = 'rabbitmq';
  private readonly options: ResolvedRabbitMqEventSourceOptions;
  private handle?: EventHandler;
  private stopping = false;
  /** The connection consumed on, once consuming; a drop of any other is old news, or the opener's to handle. */
  private connection?: ChannelModel;
  private consumer?: { channel: ConfirmChannel; consumerTag: string };
  private connecting?: Promise<void>;
  private reconnectTimer?: NodeJS.Timeout;
  private reconnectAttempts = 0;
  private failuresInARow = 0;
  private readonly inFlight = new Set<Promise<void>>();
  /** Wakes the messages held before going back to the queue, when there is no point holding them longer. */
  private readonly sleepers = new Set<() => void>();

  /** @throws RangeError when an option is wrong */
  constructor(
    options: RabbitMqEventSourceOptions,
    private readonly logger: SagaLogger,
  ) {
    this.options = resolveRabbitMqEventSourceOptions(options);
  }

  /**
   * Connects, declares the exchanges, queues and bindings, and consumes.
   * @throws Error when the broker does not answer or refuses the declarations; later drops are reconnected
   */
  async start(handle: EventHandler): Promise<void> {
    if (this.handle)
      throw new Error('This RabbitMQ event source is already started; stop it before starting it again.');
    this.handle = handle;
    this.stopping = false;
    this.reconnectAttempts = 0;
    try {
      await this.consume();
    } catch (error) {
      this.handle = undefined;
      throw error;
    }
    this.logger.log(`Consuming events from RabbitMQ queue ${this.options.queue}`, this.context());
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.reconnectTimer);
    await this.connecting?.catch(() => undefined);
    const { connection, consumer } = this;
    // No new deliveries; those in hand are finished, and acknowledged on the channel they came on.
    if (consumer) await consumer.channel.cancel(consumer.consumerTag).catch(() => undefined);
    this.wakeSleepers();
    await Promise.allSettled([...this.inFlight]);
    this.connection = this.consumer = undefined;
    // The channel first: its close follows the acks on the channel's own frames, so the broker has them all
    // before the connection goes (a connection's close may overtake frames still queued on its channels).
    await consumer?.channel.close().catch(() => undefined);
    await connection?.close().catch(() => undefined);
    this.handle = undefined;
  }

  /** Opens a connection to the broker. Protected so that a test can get hold of it, to cut it. */
  protected openConnection(): Promise<ChannelModel> {
    return openAmqpConnection(this.options.url, this.options.connectionName);
  }

  private async consume(): Promise<void> {
    const connection = await this.openConnection();
    let closed = false;
    // Without a listener, an 'error' event would be thrown, and take the process down.
    connection.on('error', (error: Error) =>
      this.logger.warn(`RabbitMQ connection error: ${error.message}`, this.context()),
    );
    connection.on('close', () => {
      closed = true;
      this.dropped(connection);
    });
    const { queue } = this.options;
    try {
      const channel = await connection.createConfirmChannel();
      channel.on('error', (error: Error) =>
        this.logger.warn(`RabbitMQ channel error: ${error.message}`, this.context()),
      );
      // A channel the broker closed (a deleted queue, a refused declaration) ends its connection too, so that one
      // path, reconnecting, brings both back.
      channel.on('close', () => void connection.close().catch(() => undefined));
      await this.declare(channel);
      await channel.prefetch(this.options.prefetch);
      const { consumerTag } = await channel.consume(queue, (message) => this.receive(channel, message), {
        noAck: false,
      });
      if (closed) throw new Error('the connection closed while it was being set up');
      // Only now is a drop of this connection reconnected: before, the caller hears of the failure.
      this.connection = connection;
      this.consumer = { channel, consumerTag };
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw new Error(
        `The RabbitMQ event source could not declare or consume queue ${queue} at ${redactUrl(this.options.url)}: ` +
          `${(error as Error).message}. An exchange or queue that already exists with other arguments must be ` +
          'declared alike, or deleted. Check your configuration.',
        { cause: error },
      );
    }
  }

  /**
   * The exchange producers publish to, the queue bound to it with the routing keys, and where refused messages
   * go: a direct exchange, with a routing key of its queue's name (so that one dead-letter exchange can serve
   * several queues), and that queue. Declared again after each reconnect, in case the broker lost them.
   */
  private async declare(channel: ConfirmChannel): Promise<void> {
    const { exchange, queue, routingKeys, deadLetterExchange, deadLetterQueue, queueArguments } = this.options;
    await channel.assertExchange(exchange, 'topic', { durable: true });
    await channel.assertExchange(deadLetterExchange, 'direct', { durable: true });
    await channel.assertQueue(deadLetterQueue, { durable: true });
    await channel.bindQueue(deadLetterQueue, deadLetterExchange, deadLetterQueue);
    await channel.assertQueue(queue, {
      durable: true,
      deadLetterExchange,
      deadLetterRoutingKey: deadLetterQueue,
      arguments: { ...queueArguments },
    });
    for (const key of routingKeys) await channel.bindQueue(queue, exchange, key);
  }

  private receive(channel: ConfirmChannel, message: ConsumeMessage | null): void {
    if (message === null) {
      // The broker cancelled the consumer (its queue was deleted): reconnecting declares the queue again.
      this.logger.warn(`RabbitMQ cancelled the consumer of queue ${this.options.queue}; reconnecting`, this.context());
      void channel.close().catch(() => undefined);
      return;
    }
    const task: Promise<void> = this.process(channel, message)
      .catch((error: Error) => this.logger.error(`RabbitMQ delivery failed: ${error.message}`, this.context()))
      .finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
  }

  private async process(channel: ConfirmChannel, message: ConsumeMessage): Promise<void> {
    const handle = this.handle;
    if (!handle) return this.settle(channel, message, 'requeue');
    const fallbackId = messageEventId(message.content, message.properties.messageId);
    try {
      const result = await handle(message.content, fallbackId, (name) =>
        headerText(message.properties.headers?.[name]),
      );
      this.failuresInARow = 0;
      if (result.rejected.length) {
        this.logger.warn(`Event ${result.eventId} was recorded, but refused by some sagas`, {
          ...this.context(),
          eventId: result.eventId,
          rejected: result.rejected,
        });
      }
      this.settle(channel, message, 'ack');
    } catch (error) {
      if (error instanceof EventInvalidError) return this.deadLetter(channel, message, refusalReason(error));
      this.failuresInARow += 1;
      const delay = backoffDelay(this.failuresInARow, this.options.retryDelayMs, this.options.maxDelayMs);
      this.logger.warn(
        `Could not record the event of a RabbitMQ message (${(error as Error).message}); back to the queue in ${delay} ms`,
        { ...this.context(), fallbackId, redelivered: message.fields.redelivered },
      );
      await this.sleep(delay);
      this.settle(channel, message, 'requeue');
    }
  }

  private async deadLetter(channel: ConfirmChannel, message: ConsumeMessage, reason: string): Promise<void> {
    const { queue, deadLetterExchange, deadLetterQueue } = this.options;
    this.logger.warn(`Refused a RabbitMQ message: ${reason}; it goes to ${deadLetterQueue}`, {
      ...this.context(),
      messageId: message.properties.messageId,
      routingKey: message.fields.routingKey,
    });
    const properties = deadLetterProperties(message, reason, queue, new Date());
    try {
      await new Promise<void>((resolve, reject) =>
        channel.publish(deadLetterExchange, deadLetterQueue, message.content, properties, (error: unknown) =>
          error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(),
        ),
      );
    } catch (error) {
      // Not confirmed. Rejected, it still reaches the dead-letter queue, through the queue's x-dead-letter-exchange.
      this.logger.warn(
        `Could not copy a refused message to ${deadLetterQueue} (${(error as Error).message}); rejecting it`,
        this.context(),
      );
      return this.settle(channel, message, 'reject');
    }
    this.settle(channel, message, 'ack');
  }

  private settle(channel: ConfirmChannel, message: ConsumeMessage, outcome: Outcome): void {
    try {
      if (outcome === 'ack') channel.ack(message);
      else channel.nack(message, false, outcome === 'requeue');
    } catch (error) {
      // The channel closed meanwhile: the broker has the message back and delivers it again, and its event id
      // makes that harmless.
      this.logger.warn(
        `Could not ${outcome} a RabbitMQ message (${(error as Error).message}); it will be delivered again`,
        this.context(),
      );
    }
  }

  private dropped(connection: ChannelModel): void {
    if (connection !== this.connection) return;
    this.connection = this.consumer = undefined;
    // The messages held were given back with the connection: nothing left to wait for.
    this.wakeSleepers();
    if (this.stopping) return;
    this.logger.warn('Lost the RabbitMQ connection; reconnecting', this.context());
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.reconnectAttempts += 1;
    const delay = backoffDelay(this.reconnectAttempts, this.options.reconnectDelayMs, this.options.maxDelayMs);
    this.reconnectTimer = setTimeout(() => {
      this.connecting = this.reconnect().finally(() => (this.connecting = undefined));
    }, delay);
  }

  private async reconnect(): Promise<void> {
    if (this.stopping) return;
    try {
      await this.consume();
    } catch (error) {
      if (this.stopping) return;
      this.logger.warn(`Could not reconnect to RabbitMQ: ${(error as Error).message}`, {
        ...this.context(),
        attempt: this.reconnectAttempts,
      });
      return this.scheduleReconnect();
    }
    this.reconnectAttempts = 0;
    this.logger.log(`Reconnected to RabbitMQ; consuming queue ${this.options.queue} again`, this.context());
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  private wakeSleepers(): void {
    for (const wake of [...this.sleepers]) wake();
  }

  private context(): Record<string, unknown> {
    return { source: this.name, queue: this.options.queue, broker: redactUrl(this.options.url) };
  }
}

/** An AMQP header's value as text: a string, or the bytes a long string arrives as. */
function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return Buffer.isBuffer(value) ? value.toString('utf8') : undefined;
}
