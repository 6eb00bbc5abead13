import { NatsOptionsInvalidError } from './nats-options-invalid.error';
import { resolveNatsEventSourceOptions } from './nats-event-source-options';

describe('resolveNatsEventSourceOptions', () => {
  it('fills in the defaults', () => {
    expect(resolveNatsEventSourceOptions()).toEqual({
      stream: 'SAGAFLOW_EVENTS',
      subjects: ['sagaflow.events.>'],
      durable: 'sagaflow-engine',
      ackWaitMs: 30_000,
      maxDeliver: -1,
      deadLetterSubject: 'sagaflow.dead-letter.events',
      deadLetterStream: 'SAGAFLOW_EVENTS_DEAD_LETTER',
      retryDelayMs: 1_000,
      maxRetryDelayMs: 30_000,
      concurrency: 1,
    });
  });

  it('takes durations as milliseconds or strings', () => {
    const resolved = resolveNatsEventSourceOptions({ ackWait: 500, retryDelay: '250ms', maxRetryDelay: '1m' });
    expect(resolved).toMatchObject({ ackWaitMs: 500, retryDelayMs: 250, maxRetryDelayMs: 60_000 });
  });

  it('names the dead-letter stream after the events stream', () => {
    expect(resolveNatsEventSourceOptions({ stream: 'ORDERS' }).deadLetterStream).toBe('ORDERS_DEAD_LETTER');
  });

  function refusal(options: Parameters<typeof resolveNatsEventSourceOptions>[0]): NatsOptionsInvalidError {
    try {
      resolveNatsEventSourceOptions(options);
    } catch (error) {
      if (error instanceof NatsOptionsInvalidError) return error;
      throw error;
    }
    throw new Error('the options were accepted');
  }

  it.each([
    [{ stream: 'my.stream' }, 'stream'],
    [{ durable: 'has space' }, 'durable'],
    [{ subjects: [] }, 'subjects'],
    [{ subjects: ['sagaflow..events'] }, 'subjects'],
    [{ deadLetterSubject: 'dead.>' }, 'deadLetterSubject'],
    [{ deadLetterStream: 'SAGAFLOW_EVENTS' }, 'deadLetterStream'],
    [{ ackWait: 0 }, 'ackWait'],
    [{ ackWait: 'soon' as never }, 'ackWait'],
    [{ maxDeliver: 0 }, 'maxDeliver'],
    [{ maxDeliver: 2.5 }, 'maxDeliver'],
    [{ retryDelay: '5s', maxRetryDelay: '1s' }, 'maxRetryDelay'],
    [{ concurrency: 0 }, 'concurrency'],
  ] as const)('refuses %j, naming %s', (options, option) => {
    const error = refusal(options);
    expect(error.option).toBe(option);
    expect(error.code).toBe('BROKER.NATS_OPTIONS_INVALID');
    expect(error.message).toMatch(/Check your configuration\.$/);
  });

  it('refuses a dead-letter subject that the event subjects capture, since it would be consumed again', () => {
    const error = refusal({ subjects: ['orders.>'], deadLetterSubject: 'orders.dead' });
    expect(error.option).toBe('deadLetterSubject');
    expect(error.message).toContain('orders.>');
  });
});
