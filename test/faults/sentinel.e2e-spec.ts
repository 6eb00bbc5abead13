import { spawnSync } from 'node:child_process';
import { AppProcess, SagaflowSystem } from '../support/apps';
import { untilReplicated } from '../support/redis';
import { startSentinelGroup, untilReplicaPromoted, type SentinelGroup } from './sentinel-group';
import {
  expectCompletedThroughFailover,
  startOnceAccepted,
  startSaga,
  startTransfersInFlight,
  totalBalance,
  transfer,
} from './transfer.fixture';

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

describe('when Redis is reached through Sentinel', () => {
  let group: SentinelGroup | undefined;
  let system: SagaflowSystem | undefined;

  afterEach(async () => {
    // Keys are removed through REDIS_URL, the replica: by now the master, unless the failover never came.
    await system?.stop().catch(() => undefined);
    await group?.sentinel.destroy();
    await group?.replica.destroy();
    await group?.master.destroy();
    [system, group] = [undefined, undefined];
  });

  withRedisServer(
    'the master is killed while sagas run: the replica takes over and every saga started before or after completes',
    async () => {
      group = await startSentinelGroup({ aof: 'everysec' });
      const { master, replica, sentinel } = group;

      // REDIS_URL names the replica on purpose: with sentinels only its credentials and db count, so a process
      // that connected to it instead of asking the sentinel would be refused its writes (READONLY).
      system = await SagaflowSystem.start({
        workers: 2,
        redisUrl: replica.url,
        env: { ...CRASH_ENV, SAGAFLOW_REDIS_SENTINELS: `127.0.0.1:${sentinel.port}` },
      });
      const running = system;
      const before = await totalBalance(running);

      const accepted = await startTransfersInFlight(running);
      // The starts are on the replica; the steps in flight keep writing past that.
      await untilReplicated(master.url, replica.url);

      const killedAt = Date.now();
      const startedBeforeKill = [...accepted];
      await master.kill();
      await untilReplicaPromoted(group);
      const failedOverMs = Date.now() - killedAt;

      // Starts during and after the failover: refused (503) until the processes reach the new master, then accepted.
      accepted.push(await startOnceAccepted(running));
      const acceptedAgainMs = Date.now() - killedAt;
      accepted.push(await startSaga(running, 'transfer', transfer({ reference: 'slow' })));

      await expectCompletedThroughFailover(running, { accepted, startedBeforeKill, killedAt, totalBefore: before });
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
