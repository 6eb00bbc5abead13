import { SagaflowSystem } from '../support/apps';
import { PrivateRedis } from '../support/redis-server';
import { waitFor } from '../support/wait-for';
import { order } from './order.fixture';

describe('when Redis is unreachable', () => {
  let redis: PrivateRedis;
  let system: SagaflowSystem;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    system = await SagaflowSystem.start({ workers: 0, redisUrl: redis.url });
  });
  afterAll(async () => {
    await redis.resume().catch(() => undefined);
    await system.stop();
    await redis.destroy();
  });

  it('answers 503 with a clear JSON error, and serves again once Redis is back', async () => {
    await redis.kill();

    const started = await system.request<{ code: string; message: string }>('POST', '/sagas/checkout', order());
    expect(started.status).toBe(503);
    expect(started.body).toMatchObject({ code: 'SAGA.STORE_UNAVAILABLE', message: expect.stringContaining('Redis is unreachable') });
    const read = await system.request('GET', '/sagas/0190a0d2-0000-7000-8000-000000000000');
    expect(read.status).toBe(503);

    await redis.resume();
    // The API reconnects on its own, within its 2 s reconnect backoff.
    const retried = await waitFor(
      () => system.request<{ id: string }>('POST', '/sagas/checkout', order()),
      (answer) => answer.status !== 503,
      { timeoutMs: 10_000, intervalMs: 250 },
    );
    expect(retried.status).toBe(202);
    expect((await system.request('GET', `/sagas/${retried.body.id}`)).status).toBe(200);
  });
});
