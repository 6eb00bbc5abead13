import type { SagaLifecycleEvent } from '@sagaflow/core';
import type { Redis } from 'ioredis';
import { order } from '../checkout/order.fixture';
import { SagaflowSystem } from '../support/apps';
import { connect } from '../support/redis';
import { waitFor } from '../support/wait-for';

/** Reads a Server-Sent Events response to its end: each event's name and data. */
async function readEvents(response: Response): Promise<{ event: string; data: Record<string, unknown> }[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.includes('event: '))
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((line) => line.startsWith('event: '))?.slice(7) ?? '';
      const data = lines.find((line) => line.startsWith('data: '))?.slice(6) ?? '{}';
      return { event, data: JSON.parse(data) as Record<string, unknown> };
    });
}

describe('lifecycle events and the Redis Streams broker, over the built processes', () => {
  let system: SagaflowSystem;
  let redis: Redis;

  beforeAll(async () => {
    system = await SagaflowSystem.start({ env: { SAGAFLOW_SOURCES: 'redis-stream', SAGAFLOW_SINKS: 'redis-stream' } });
    redis = connect();
  });
  afterAll(async () => {
    await redis.quit();
    await system.stop();
  });

  it('streams one saga from start to end as Server-Sent Events', async () => {
    const started = await system.request<{ id: string }>('POST', '/sagas/transfer', {
      transferId: 'sse-1',
      fromAccount: 'acct-alice',
      toAccount: 'acct-bob',
      amountCents: 100,
    });
    const response = await fetch(`${system.baseUrl}/sagas/${started.body.id}/events`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = await readEvents(response);

    expect(events[0]).toEqual({ event: 'saga', data: expect.objectContaining({ id: started.body.id }) });
    expect(events.slice(1).map(({ event, data }) => [event, data.step ?? ''])).toEqual([
      ['saga.started', ''],
      ['saga.step.succeeded', 'debitSource'],
      ['saga.step.succeeded', 'creditDestination'],
      ['saga.completed', ''],
    ]);
    expect(events.slice(1).every(({ data }) => data.sagaId === started.body.id && data.schemaVersion === 1)).toBe(true);
  });

  it('answers 404 for the events of a saga that does not exist', async () => {
    const response = await fetch(`${system.baseUrl}/sagas/00000000-0000-7000-8000-000000000000/events`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'SAGA.NOT_FOUND' });
  });

  it('starts a saga from an entry of the source stream, and publishes what it does to the sink stream, in order', async () => {
    const event = {
      id: 'stream-transfer-1',
      type: 'transfer.requested',
      payload: { transferId: 'st-1', fromAccount: 'acct-alice', toAccount: 'closed-1', amountCents: 100 },
    };
    // No saga starts on transfer.requested: the entry is recorded, acknowledged and starts nothing.
    await redis.xadd(`${system.prefix}:events-in`, '*', 'event', JSON.stringify(event));
    const placed = { id: 'stream-order-1', type: 'order.placed', payload: order() };
    await redis.xadd(`${system.prefix}:events-in`, '*', 'event', JSON.stringify(placed));
    const checkout = await waitFor(
      () => system.request<{ items: { id: string; name: string }[] }>('GET', '/sagas?name=checkout'),
      (page) => page.body.items.length === 1,
    );
    const sagaId = checkout.body.items[0].id;
    const published = await waitFor(
      async () =>
        (await redis.xrange(`${system.prefix}:lifecycle-out`, '-', '+'))
          .map(([, fields]) => JSON.parse(fields[fields.indexOf('event') + 1]) as SagaLifecycleEvent)
          .filter((lifecycle) => lifecycle.sagaId === sagaId),
      (events) =>
        events.some((lifecycle) => lifecycle.type === 'saga.step.succeeded' && lifecycle.step === 'shipOrder'),
    );
    expect(published.map((lifecycle) => lifecycle.type).slice(0, 4)).toEqual([
      'saga.started',
      'saga.step.succeeded',
      'saga.step.succeeded',
      'saga.step.succeeded',
    ]);
    const ids = published.map((lifecycle) => lifecycle.id);
    expect([...ids].sort()).toEqual(ids);
  });
});
