import { spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { AppProcess, SagaflowSystem } from '../support/apps';
import { PrivateRedis, PrivateSentinel } from '../../tools/private-redis';
import { waitFor } from '../support/wait-for';
import { readSaga, startSaga, totalBalance, transfer, waitForSaga } from './transfer.fixture';

const CRASH_ENV = {
  SAGAFLOW_LOCK_DURATION_MS: '1500',
  SAGAFLOW_SWEEP_INTERVAL_MS: '1000',
  SAGAFLOW_STUCK_AFTER_MS: '3000',
};

// Chosen at load time: without redis-server there is no master, replica or sentinel to start.
const redisServerMissing = spawnSync('redis-server', ['--version']).error !== undefined;
if (redisServerMissing) {
  console.warn('Skipping the Sentinel failover test: redis-server is not installed (it starts its own servers).');
}
const withRedisServer = redisServerMissing ? it.skip : it;

/** A field of INFO replication: the master's offset, or a replica's offset and link status. */
async function replication(
  url: string,
  field: 'master_repl_offset' | 'slave_repl_offset' | 'master_link_status',
): Promise<string> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    const info = await client.info('replication');
    return new RegExp(`^${field}:(\\S+)`, 'm').exec(info)?.[1] ?? '';
  } finally {
    client.disconnect();
  }
}

describe('when Redis is reached through Sentinel', () => {
  let master: PrivateRedis | undefined;
  let replica: PrivateRedis | undefined;
  let sentinel: PrivateSentinel | undefined;
  let system: SagaflowSystem | undefined;

  afterEach(async () => {
    // Keys are removed through REDIS_URL, the replica: by now the master, unless the failover never came.
    await system?.stop().catch(() => undefined);
    await sentinel?.destroy();
    await replica?.destroy();
    await master?.destroy();
    [system, sentinel, replica, master] = [undefined, undefined, undefined, undefined];
  });

  withRedisServer(
    'the master is killed while sagas run: the replica takes over and every saga started before or after completes',
    async () => {
      // No delay before the first full sync (Redis 7 waits 5 s for more replicas to share it).
      master = await PrivateRedis.start({ aof: 'everysec', args: ['--repl-diskless-sync-delay', '0'] });
      replica = await PrivateRedis.start({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
      const replicaUrl = replica.url;
      await waitFor(
        () => replication(replicaUrl, 'master_link_status'),
        (status) => status === 'up',
        { timeoutMs: 20_000, intervalMs: 100 },
      );
      sentinel = await PrivateSentinel.start({ masterPort: master.port, downAfterMs: 1_000, failoverTimeoutMs: 5_000 });
      const watching = sentinel;
      await waitFor(
        () => watching.replicasUp(),
        (up) => up === 1,
        { timeoutMs: 20_000, intervalMs: 200 },
      );

      // REDIS_URL names the replica on purpose: with sentinels only its credentials and db count, so a process
      // that connected to it instead of asking the sentinel would be refused its writes (READONLY).
      system = await SagaflowSystem.start({
        workers: 2,
        redisUrl: replicaUrl,
        env: { ...CRASH_ENV, SAGAFLOW_REDIS_SENTINELS: `127.0.0.1:${sentinel.port}` },
      });
      const running = system;
      // The demo bank opens its accounts once connected; on a loaded machine that may take a moment.
      const before = await waitFor(
        () => totalBalance(running),
        (total) => typeof total === 'number' && total > 0,
      );

      const accepted: string[] = [];
      for (let i = 0; i < 4; i++) accepted.push(await startSaga(running, 'transfer', transfer()));
      // Slow credits (1.5 s) keep these sagas in flight through the failover: started last, and side by side.
      const slow = Array.from({ length: 6 }, () => startSaga(running, 'transfer', transfer({ reference: 'slow' })));
      accepted.push(...(await Promise.all(slow)));
      // Replication is asynchronous: a write the master acknowledged but had not sent on yet dies with it. The test
      // waits until the starts it holds acknowledged are on the replica; the steps in flight keep writing past that.
      const started = Number(await replication(master.url, 'master_repl_offset'));
      await waitFor(
        async () => Number(await replication(replicaUrl, 'slave_repl_offset')),
        (offset) => offset >= started,
      );

      const killedAt = Date.now();
      const startedBeforeKill = [...accepted];
      await master.kill();
      const replicaPort = replica.port;
      await waitFor(
        () => watching.masterPort(),
        (port) => port === replicaPort,
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      const failedOverMs = Date.now() - killedAt;

      // Starts during and after the failover: refused (503) until the processes reach the new master, then accepted.
      const afterwards = await waitFor(
        () => running.request<{ id: string }>('POST', '/sagas/transfer', transfer()),
        (answer) => answer.status === 202,
        { timeoutMs: 20_000, intervalMs: 100 },
      );
      const acceptedAgainMs = Date.now() - killedAt;
      accepted.push(afterwards.body.id);
      accepted.push(await startSaga(running, 'transfer', transfer({ reference: 'slow' })));

      for (const id of accepted) {
        expect([id, (await waitForSaga(running, id, undefined, 60_000)).status]).toEqual([id, 'completed']);
      }
      expect(await totalBalance(running)).toBe(before);
      // Some of the sagas started before the kill were still in flight then: they completed on the new master.
      const completedAt = async (id: string) =>
        Date.parse((await readSaga(running, id)).history.find((entry) => entry.type === 'saga.completed')?.at ?? '');
      const finishedAfterKill = (await Promise.all(startedBeforeKill.map(completedAt))).filter((at) => at > killedAt);
      expect(finishedAfterKill.length).toBeGreaterThan(0);
      expect([running.api, ...running.workers].every((process) => process.running)).toBe(true);
      console.info(
        `Sentinel failover: the sentinel named the replica ${failedOverMs} ms after the master was killed; ` +
          `the API accepted sagas again after ${acceptedAgainMs} ms.`,
      );
    },
    // Up to 30 s for the failover and 20 s for the API, then up to a minute per saga on a loaded machine.
    150_000,
  );

  describe('when the sentinel settings are wrong', () => {
    it.each([
      ['a sentinel that is not host:port', { SAGAFLOW_REDIS_SENTINELS: '127.0.0.1' }, /SAGAFLOW_REDIS_SENTINELS must/],
      ['a master group name with a space', { SAGAFLOW_REDIS_SENTINEL_NAME: 'my master' }, /SENTINEL_NAME must/],
      [
        'TLS asked for in REDIS_URL',
        { SAGAFLOW_REDIS_SENTINELS: '127.0.0.1:26379', REDIS_URL: 'rediss://127.0.0.1:6380' },
        /does not support TLS yet/,
      ],
    ])('refuses to boot with %s, naming the variable', async (_case, env, message) => {
      await expect(AppProcess.start('api', { PORT: '0', ...env }, /listening on port \d+/)).rejects.toThrow(message);
    });
  });
});
