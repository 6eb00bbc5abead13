import { PrivateRedis } from '../../tools/private-redis';
import { SagaflowSystem } from '../support/apps';
import { waitFor } from '../support/wait-for';

interface Health {
  statusCode?: number;
  code?: string;
  message?: string;
  status: string;
  info: Record<string, { status: string }>;
  error: Record<string, { status: string; message?: string }>;
  details: Record<string, { status: string; message?: string }>;
}

describe('health probes', () => {
  describe('when Redis answers', () => {
    let system: SagaflowSystem;

    beforeAll(async () => {
      system = await SagaflowSystem.start({ workers: 0 });
    });

    afterAll(() => system.stop());

    it.each(['/health', '/health/ready'])('%s answers 200 with redis up', async (path) => {
      const { status, body } = await system.request<Health>('GET', path);

      expect(status).toBe(200);
      expect(body).toMatchObject({ status: 'ok', info: { redis: { status: 'up' } }, error: {} });
    });

    it('/health/live answers 200 with the process up', async () => {
      const { status, body } = await system.request<Health>('GET', '/health/live');

      expect(status).toBe(200);
      expect(body).toMatchObject({ status: 'ok', info: { process: { status: 'up' } } });
    });
  });

  describe('when Redis is unreachable', () => {
    let redis: PrivateRedis;
    let system: SagaflowSystem;

    beforeAll(async () => {
      redis = await PrivateRedis.start({ aof: 'off' });
      system = await SagaflowSystem.start({ workers: 0, redisUrl: redis.url });
    });

    afterAll(async () => {
      await redis.resume();
      await system.stop();
      await redis.destroy();
    });

    it('readiness answers 503 in the API error shape, liveness stays 200, and readiness recovers with Redis', async () => {
      await redis.kill();

      for (const path of ['/health', '/health/ready']) {
        const { status, body } = await system.request<Health>('GET', path);
        expect(status).toBe(503);
        expect(body).toMatchObject({
          statusCode: 503,
          code: 'HEALTH.NOT_READY',
          message: expect.stringMatching(/^Not ready: redis is down/),
          status: 'error',
          error: { redis: { status: 'down', message: expect.any(String) } },
        });
      }
      expect((await system.request('GET', '/health/live')).status).toBe(200);

      await redis.resume();
      await waitFor(
        () => system.request<Health>('GET', '/health'),
        ({ status }) => status === 200,
        { timeoutMs: 10_000, intervalMs: 200 },
      );
    });
  });
});
