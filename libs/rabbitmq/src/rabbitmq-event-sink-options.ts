import { checkName, checkUrl } from './rabbitmq-option-checks';

/**
 * Where a {@link RabbitMqEventSink} publishes lifecycle events: a durable topic exchange, declared by the sink,
 * with the event type (`saga.step.succeeded`) as routing key. Consumers bind their own queues to it.
 * @publicApi
 */
export interface RabbitMqEventSinkOptions {
  /** The broker: `amqp://user:password@host:5672/vhost` (or `amqps://`). */
  url: string;
  /**
   * The topic exchange lifecycle events are published to.
   * @defaultValue `'sagaflow.lifecycle'`
   */
  exchange?: string;
  /**
   * The connection's name, shown by `rabbitmqctl list_connections client_properties` and the management UI.
   * @defaultValue `'sagaflow-event-sink'`
   */
  connectionName?: string;
}

/** The options with every default filled in. */
export type ResolvedRabbitMqEventSinkOptions = Required<RabbitMqEventSinkOptions>;

/**
 * Fills in the defaults and checks the values.
 * @throws RangeError naming the option at fault
 */
export function resolveRabbitMqEventSinkOptions(options: RabbitMqEventSinkOptions): ResolvedRabbitMqEventSinkOptions {
  const resolved: ResolvedRabbitMqEventSinkOptions = {
    url: options.url,
    exchange: options.exchange ?? 'sagaflow.lifecycle',
    connectionName: options.connectionName ?? 'sagaflow-event-sink',
  };
  checkUrl(resolved.url);
  checkName('exchange', resolved.exchange);
  return resolved;
}
