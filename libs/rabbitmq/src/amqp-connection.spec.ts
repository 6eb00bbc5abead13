import { redactUrl } from './amqp-connection';

describe('redactUrl', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactUrl('amqp://sagas:s3cret@rabbit:5672/prod')).toBe('amqp://sagas:***@rabbit:5672/prod');
    expect(redactUrl('amqps://sagas:s3cret@rabbit/prod')).toBe('amqps://sagas:***@rabbit/prod');
  });

  it('leaves a URL without a password as it is', () => {
    expect(redactUrl('amqp://127.0.0.1:5672')).toBe('amqp://127.0.0.1:5672');
    expect(redactUrl('amqp://sagas@rabbit')).toBe('amqp://sagas@rabbit');
  });
});
