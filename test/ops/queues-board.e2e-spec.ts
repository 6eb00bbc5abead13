import type { SagaRecord } from '@sagaflow/core';
import { PrivateRedis } from '../../tools/private-redis';
import { readSaga, startSaga, transfer, waitForSaga } from '../faults/transfer.fixture';
import { SagaflowSystem } from '../support/apps';
import { waitFor } from '../support/wait-for';

const BOARD_API = '/admin/queues/api';

interface BoardJob {
  id: string;
  failedReason?: string;
}

interface BoardQueue {
  name: string;
  counts: Record<string, number>;
  jobs: BoardJob[];
  readOnlyMode: boolean;
  allowRetries: boolean;
}

describe('Bull Board at /admin/queues', () => {
  let system: SagaflowSystem;

  beforeAll(async () => {
    system = await SagaflowSystem.start();
  });

  afterAll(() => system.stop());

  const queues = async (query = '') =>
    (await system.request<{ queues: BoardQueue[] }>('GET', `${BOARD_API}/queues${query}`)).body.queues;
  const jobPath = (queue: string, jobId: string) => `${BOARD_API}/queues/${queue}/${encodeURIComponent(jobId)}`;

  it('serves the board', async () => {
    const response = await fetch(`${system.baseUrl}/admin/queues`);

    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<base href="/admin/queues/"');
  });

  it('lists the queue of every registered saga and the events queue, retries allowed', async () => {
    const listed = await queues();

    expect(listed.map((queue) => queue.name).sort()).toEqual([
      'pool-payments',
      'saga-checkout',
      'saga-expense',
      'saga-loyalty',
      'saga-payout',
      'saga-transfer',
      'saga-trip',
      'sagaflow-events',
    ]);
    expect(listed.every((queue) => queue.allowRetries && !queue.readOnlyMode)).toBe(true);
  });

  describe('when a step job has failed for good', () => {
    it('retries it from the board (the fence keeps the finished saga as it is), then cleans it', async () => {
      // "poison": the credit fails on every attempt; its job ends failed and the saga compensates.
      const sagaId = await startSaga(system, 'transfer', transfer({ reference: 'poison' }));
      const compensated = await waitForSaga(system, sagaId);
      expect(compensated.status).toBe('compensated');

      const listed = await queues('?activeQueue=saga-transfer&status=failed');
      const transfers = listed.find((queue) => queue.name === 'saga-transfer') as BoardQueue;
      const failed = transfers.jobs.find((job) => job.id.startsWith(`${sagaId}|run|creditDestination`));
      expect(failed).toMatchObject({ failedReason: expect.stringContaining('poison') });
      const job = jobPath('saga-transfer', (failed as BoardJob).id);

      expect((await system.request('PUT', `${job}/retry`)).status).toBe(204);
      // Back in the queue, a worker takes it again: the saga has moved on, so it ends without running the step.
      await waitFor(
        () => system.request<{ status: string }>('GET', job),
        ({ body }) => body.status === 'completed',
        { timeoutMs: 15_000, intervalMs: 100 },
      );
      const after: SagaRecord = await readSaga(system, sagaId);
      expect([after.status, after.history.length]).toEqual(['compensated', compensated.history.length]);

      expect((await system.request('PUT', `${job}/clean`)).status).toBe(204);
      expect((await system.request('GET', job)).status).toBe(404);
    });
  });

  describe('when Redis is unreachable', () => {
    it("answers the board's API with 503 at once instead of waiting for Redis", async () => {
      const redis = await PrivateRedis.start({ aof: 'off' });
      const down = await SagaflowSystem.start({ workers: 0, redisUrl: redis.url });
      try {
        await redis.kill();
        // Once the API has seen the connection drop (readiness fails), the board must not wait for Redis.
        await waitFor(
          () => down.request('GET', '/health/ready'),
          ({ status }) => status === 503,
          { timeoutMs: 5_000, intervalMs: 50 },
        );
        const asked = Date.now();
        const { status, body } = await down.request('GET', `${BOARD_API}/queues`);

        expect(Date.now() - asked).toBeLessThan(2_000);
        expect([status, body]).toEqual([
          503,
          { statusCode: 503, code: 'SAGA.STORE_UNAVAILABLE', message: expect.stringMatching(/^Redis is unreachable/) },
        ]);
      } finally {
        await redis.resume();
        await down.stop();
        await redis.destroy();
      }
    });
  });
});
