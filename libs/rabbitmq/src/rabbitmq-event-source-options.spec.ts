import { resolveRabbitMqEventSourceOptions } from './rabbitmq-event-source-options';

const url = 'amqp://guest:guest@127.0.0.1:5672';

describe('resolveRabbitMqEventSourceOptions', () => {
  describe('when only the URL is given', () => {
    it('consumes every event of the sagaflow.events exchange, with dead-letter names derived from the queue', () => {
      expect(resolveRabbitMqEventSourceOptions({ url })).toEqual({
        url,
        exchange: 'sagaflow.events',
        queue: 'sagaflow.events',
        routingKeys: ['#'],
        prefetch: 10,
        deadLetterExchange: 'sagaflow.events.dlx',
        deadLetterQueue: 'sagaflow.events.dlq',
        queueArguments: {},
        retryDelayMs: 1_000,
        reconnectDelayMs: 500,
        maxDelayMs: 30_000,
        connectionName: 'sagaflow-event-source',
      });
    });
  });

  describe('when a queue is named', () => {
    it('derives the dead-letter exchange and queue from that name', () => {
      const options = resolveRabbitMqEventSourceOptions({ url, queue: 'shop.sagas' });
      expect(options).toMatchObject({ deadLetterExchange: 'shop.sagas.dlx', deadLetterQueue: 'shop.sagas.dlq' });
    });

    it('keeps dead-letter names given explicitly', () => {
      const options = resolveRabbitMqEventSourceOptions({
        url,
        queue: 'shop.sagas',
        deadLetterExchange: 'dead',
        deadLetterQueue: 'dead.sagas',
      });
      expect(options).toMatchObject({ deadLetterExchange: 'dead', deadLetterQueue: 'dead.sagas' });
    });
  });

  describe('when an option is wrong', () => {
    it.each([
      ['url', { url: 'redis://127.0.0.1:6379' }],
      ['url', { url: '' }],
      ['queue', { url, queue: '' }],
      ['exchange', { url, exchange: 'amq.topic' }],
      ['deadLetterQueue', { url, queue: 'q', deadLetterQueue: 'q' }],
      ['deadLetterExchange', { url, exchange: 'x', deadLetterExchange: 'x' }],
      ['routingKeys', { url, routingKeys: [] }],
      ['routingKeys', { url, routingKeys: ['k'.repeat(256)] }],
      ['prefetch', { url, prefetch: 0 }],
      ['prefetch', { url, prefetch: 1.5 }],
      ['queueArguments', { url, queueArguments: { 'x-dead-letter-exchange': 'elsewhere' } }],
      ['retryDelayMs', { url, retryDelayMs: -1 }],
      ['maxDelayMs', { url, maxDelayMs: Number.NaN }],
    ])('refuses a bad %s, naming it and asking to check the configuration', (option, options) => {
      expect(() => resolveRabbitMqEventSourceOptions(options)).toThrow(
        new RegExp(`RabbitMQ option "${option}" .*Check your configuration`),
      );
    });

    it('accepts other queue arguments, such as a quorum queue type', () => {
      const options = resolveRabbitMqEventSourceOptions({ url, queueArguments: { 'x-queue-type': 'quorum' } });
      expect(options.queueArguments).toEqual({ 'x-queue-type': 'quorum' });
    });
  });
});
