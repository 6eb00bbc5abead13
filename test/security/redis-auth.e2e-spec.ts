import type { SagaRecord } from '@sagaflow/core';
import { PrivateRedis } from '../../tools/private-redis';
import { transfer, waitForSaga } from '../faults/transfer.fixture';
import { SagaflowSystem } from '../support/apps';

/** REDIS_URL carries an ACL user and password; the default user of this Redis is disabled. */
describe('a Redis that requires a login', () => {
  let redis: PrivateRedis;
  let system: SagaflowSystem;

  beforeAll(async () => {
    redis = await PrivateRedis.start({ aof: 'off', user: { name: 'sagaflow', password: 's3cret/with:chars' } });
    system = await SagaflowSystem.start({ redisUrl: redis.url });
  });
  afterAll(async () => {
    await system?.stop();
    await redis?.destroy();
  });

  it('runs sagas with the credentials from REDIS_URL', async () => {
    const { status, body } = await system.request<{ id: string }>('POST', '/sagas/transfer', transfer());
    expect(status).toBe(202);
    const saga: SagaRecord = await waitForSaga(system, body.id);
    expect(saga.status).toBe('completed');
  });

  it('refuses to serve with a wrong password: 503 and a log line naming the cause, never the password', async () => {
    const wrongUrl = redis.url.replace(encodeURIComponent('s3cret/with:chars'), 'wrong');
    const wrong = await SagaflowSystem.start({ redisUrl: wrongUrl, workers: 0, seeded: false });
    try {
      const { status } = await wrong.request('POST', '/sagas/transfer', transfer());
      expect(status).toBe(503);
      await wrong.api.waitForOutput(/WRONGPASS|NOAUTH|invalid username-password/i);
      expect(wrong.api.log).not.toContain('wrong@');
    } finally {
      await wrong.stop().catch(() => undefined);
    }
  });
});
