import { MAX_NAME_BYTES, checkDelay, checkName, checkUrl, optionError } from './rabbitmq-option-checks';

/**
 * Where and how a {@link RabbitMqEventSource} consumes. Every name is declared by the source (durable) when it
 * starts, and again after each reconnect.
 * @publicApi
 */
export interface RabbitMqEventSourceOptions {
  /** The broker: `amqp://user:password@host:5672/vhost` (or `amqps://`). */
  url: string;
  /**
   * The topic exchange producers publish events to.
   * @defaultValue `'sagaflow.events'`
   */
  exchange?: string;
  /**
   * The queue the workers consume from; every worker process of a deployment shares it (competing consumers).
   * @defaultValue `'sagaflow.events'`
   */
  queue?: string;
  /**
   * The binding keys of the queue on the exchange, such as `order.*` (topic patterns).
   * @defaultValue `['#']`, every event published to the exchange
   */
  routingKeys?: readonly string[];
  /**
   * How many messages each process handles at once (unacknowledged). Above 1, events are handled concurrently,
   * so not in the order published; 1 keeps that order, slower.
   * @defaultValue `10`
   */
  prefetch?: number;
  /**
   * The exchange (direct) where refused messages go: the queue's `x-dead-letter-exchange`.
   * @defaultValue `` `${queue}.dlx` ``
   */
  deadLetterExchange?: string;
  /**
   * The queue that keeps refused messages, each with an `x-sagaflow-reason` header, for a person to look at.
   * @defaultValue `` `${queue}.dlq` ``
   */
  deadLetterQueue?: string;
  /**
   * More arguments of the queue, such as `{ 'x-queue-type': 'quorum' }`. They must match those of a queue that
   * already exists. The dead-letter arguments are set from the options above and may not be given here.
   * @defaultValue `{}`
   */
  queueArguments?: Readonly<Record<string, unknown>>;
  /**
   * How long a message whose event could not be recorded (Redis unreachable) is held before it goes back to the
   * queue, in ms; doubled for each further failure in a row, up to `maxDelayMs`. Keeps an outage from spinning.
   * @defaultValue `1000`
   */
  retryDelayMs?: number;
  /**
   * The first wait before reconnecting after the connection dropped, in ms; doubled for each failed try, up to
   * `maxDelayMs`.
   * @defaultValue `500`
   */
  reconnectDelayMs?: number;
  /**
   * The longest of those waits, in ms.
   * @defaultValue `30000`
   */
  maxDelayMs?: number;
  /**
   * The connection's name, shown by `rabbitmqctl list_connections client_properties` and the management UI.
   * @defaultValue `'sagaflow-event-source'`
   */
  connectionName?: string;
}

/** The options with every default filled in. */
export type ResolvedRabbitMqEventSourceOptions = Required<RabbitMqEventSourceOptions>;

/** Queue arguments the source sets itself, from `deadLetterExchange` and `deadLetterQueue`. */
const RESERVED_QUEUE_ARGUMENTS = ['x-dead-letter-exchange', 'x-dead-letter-routing-key'];

/**
 * Fills in the defaults and checks the values.
 * @throws RangeError naming the option at fault
 */
export function resolveRabbitMqEventSourceOptions(
  options: RabbitMqEventSourceOptions,
): ResolvedRabbitMqEventSourceOptions {
  const queue = options.queue ?? 'sagaflow.events';
  const resolved: ResolvedRabbitMqEventSourceOptions = {
    url: options.url,
    exchange: options.exchange ?? 'sagaflow.events',
    queue,
    routingKeys: options.routingKeys ?? ['#'],
    prefetch: options.prefetch ?? 10,
    deadLetterExchange: options.deadLetterExchange ?? `${queue}.dlx`,
    deadLetterQueue: options.deadLetterQueue ?? `${queue}.dlq`,
    queueArguments: options.queueArguments ?? {},
    retryDelayMs: options.retryDelayMs ?? 1_000,
    reconnectDelayMs: options.reconnectDelayMs ?? 500,
    maxDelayMs: options.maxDelayMs ?? 30_000,
    connectionName: options.connectionName ?? 'sagaflow-event-source',
  };
  checkUrl(resolved.url);
  for (const option of ['exchange', 'queue', 'deadLetterExchange', 'deadLetterQueue'] as const) {
    checkName(option, resolved[option]);
  }
  if (resolved.deadLetterQueue === resolved.queue) {
    throw optionError(
      'deadLetterQueue',
      'must differ from queue, or refused messages would come back to be refused again',
    );
  }
  if (resolved.deadLetterExchange === resolved.exchange) {
    throw optionError(
      'deadLetterExchange',
      'must differ from exchange, or refused messages would come back to the queue',
    );
  }
  if (
    !Array.isArray(resolved.routingKeys) ||
    resolved.routingKeys.length === 0 ||
    !resolved.routingKeys.every((key) => typeof key === 'string' && Buffer.byteLength(key) <= MAX_NAME_BYTES)
  ) {
    throw optionError('routingKeys', `must be a non-empty list of binding keys of at most ${MAX_NAME_BYTES} bytes`);
  }
  if (!Number.isInteger(resolved.prefetch) || resolved.prefetch < 1 || resolved.prefetch > 65_535) {
    throw optionError('prefetch', 'must be an integer from 1 to 65535');
  }
  const reserved = Object.keys(resolved.queueArguments).filter((name) => RESERVED_QUEUE_ARGUMENTS.includes(name));
  if (reserved.length) {
    throw optionError(
      'queueArguments',
      `may not set ${reserved.join(', ')}: use deadLetterExchange and deadLetterQueue`,
    );
  }
  for (const option of ['retryDelayMs', 'reconnectDelayMs', 'maxDelayMs'] as const) {
    checkDelay(option, resolved[option]);
  }
  return resolved;
}
