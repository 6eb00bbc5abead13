import { resolveRabbitMqEventSinkOptions } from './rabbitmq-event-sink-options';

const url = 'amqp://guest:guest@127.0.0.1:5672';

describe('resolveRabbitMqEventSinkOptions', () => {
  it('publishes to the sagaflow.lifecycle exchange by default', () => {
    expect(resolveRabbitMqEventSinkOptions({ url })).toEqual({
      url,
      exchange: 'sagaflow.lifecycle',
      connectionName: 'sagaflow-event-sink',
    });
  });

  it('keeps the exchange it is given', () => {
    expect(resolveRabbitMqEventSinkOptions({ url, exchange: 'shop.sagas' }).exchange).toBe('shop.sagas');
  });

  it('refuses a URL that is not amqp, and a reserved exchange name, naming the option', () => {
    expect(() => resolveRabbitMqEventSinkOptions({ url: 'http://127.0.0.1' })).toThrow(/"url"/);
    expect(() => resolveRabbitMqEventSinkOptions({ url, exchange: 'amq.topic' })).toThrow(/"exchange"/);
  });
});
