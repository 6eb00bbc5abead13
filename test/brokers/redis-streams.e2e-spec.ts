import { RedisStreamEventSource, defineSaga, eventHandler } from '@sagaflow/core';
import type { Redis } from 'ioredis';
import { Engine, Input, recordingStep, silent } from '../engine/engine.fixture';
import { waitFor } from '../support/wait-for';

describe('Redis Streams event source', () => {
  let engine: Engine;
  let connection: Redis;
  let source: RedisStreamEventSource;
  let stream: string;
  const calls: string[] = [];

  beforeEach(() => {
    calls.length = 0;
    engine = new Engine(
      defineSaga('order', { input: Input, startOn: ['order.placed'] })
        .step('reserve', recordingStep(calls, 'reserve'))
        .waitFor('paid', { event: 'order.paid', key: ({ input }) => input.orderId, timeout: '1h' })
        .build(),
    );
    stream = `${engine.prefixes[0]}:events-in`;
    connection = engine.redis.duplicate();
  });

  afterEach(async () => {
    await source?.stop();
    connection.disconnect();
    await engine.close();
  });

  async function startSource(claimIdleMs = 30_000): Promise<void> {
    source = new RedisStreamEventSource(connection, silent, { stream, claimIdleMs, consumer: 'worker-1' });
    await source.start(eventHandler(engine.client));
  }
  const add = (body: unknown) =>
    engine.redis.xadd(stream, '*', 'event', typeof body === 'string' ? body : JSON.stringify(body));

  it('starts a saga from an entry, resumes a waiting one from another, and acknowledges both', async () => {
    await startSource();
    await add({ id: 'placed-1', type: 'order.placed', payload: { orderId: 'o-1' } });
    const started = await waitFor(
      () => engine.client.list({ name: 'order', limit: 10 }),
      (page) => page.items.some((saga) => saga.status === 'waiting'),
    );
    await add({ type: 'order.paid', key: 'o-1', payload: { amount: 5 } });
    const saga = await engine.waitUntilFinished(started.items[0].id);

    expect(saga.status).toBe('completed');
    expect(saga.steps[1].output).toEqual({ amount: 5 });
    const pending = (await engine.redis.xpending(stream, 'sagaflow')) as [number, ...unknown[]];
    expect(pending[0]).toBe(0);
  });

  it('dead-letters an entry that is not an event, with the reason, and goes on with the next', async () => {
    await startSource();
    const poison = await add('not json at all');
    await add({ type: 'order.placed' }); // no payload: the saga's input is invalid, which is not the entry's fault
    await add({ type: '' });
    await add({ id: 'placed-2', type: 'order.placed', payload: { orderId: 'o-2' } });
    await waitFor(
      () => engine.client.list({ name: 'order', limit: 10 }),
      (page) => page.items.length === 1,
    );
    const dead = await waitFor(
      () => engine.redis.xrange(`${stream}:dead`, '-', '+'),
      (entries) => entries.length === 2,
    );

    const fields = dead.map(([, values]) => Object.fromEntries(chunk(values)));
    expect(fields[0]).toMatchObject({ event: 'not json at all', source: poison });
    expect(fields[0].reason).toContain('not JSON');
    expect(fields[1].reason).toContain('type');
    expect(((await engine.redis.xpending(stream, 'sagaflow')) as [number])[0]).toBe(0);
  });

  it('takes over an entry whose consumer died before acknowledging it, and starts its saga once', async () => {
    await engine.redis.xgroup('CREATE', stream, 'sagaflow', '$', 'MKSTREAM');
    const id = await add({ type: 'order.placed', payload: { orderId: 'o-3' } });
    // A consumer reads the entry, records its event (the saga starts), and dies before XACK.
    await engine.redis.call('XREADGROUP', 'GROUP', 'sagaflow', 'worker-dead', 'STREAMS', stream, '>');
    await eventHandler(engine.client)(
      JSON.stringify({ type: 'order.placed', payload: { orderId: 'o-3' } }),
      `redis-${id}`,
    );

    await startSource(200);
    await waitFor(
      async () => ((await engine.redis.xpending(stream, 'sagaflow')) as [number])[0],
      (count) => count === 0,
    );
    const page = await engine.client.list({ name: 'order', limit: 10 });
    expect(page.items).toHaveLength(1);
    expect(calls.filter((call) => call.startsWith('run reserve'))).toHaveLength(1);
  });
});

function chunk(values: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < values.length; i += 2) pairs.push([values[i], values[i + 1]]);
  return pairs;
}
