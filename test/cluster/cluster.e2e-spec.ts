import { PrivateCluster, type PrivateRedis } from '../../tools/private-redis';
import {
  expectCompletedThroughFailover,
  startOnceAccepted,
  startSaga,
  startTransfersInFlight,
  totalBalance,
  transfer,
  waitForSaga,
} from '../faults/transfer.fixture';
import { AppProcess, SagaflowSystem } from '../support/apps';
import { REDIS_URL, connect, replication, scanKeys, untilReplicated } from '../support/redis';
import { waitFor } from '../support/wait-for';

const CRASH_ENV = {
  SAGAFLOW_LOCK_DURATION_MS: '1500',
  SAGAFLOW_SWEEP_INTERVAL_MS: '1000',
  SAGAFLOW_STUCK_AFTER_MS: '3000',
};

/** Every key on a node that begins with `prefix`. */
async function keysOn(node: PrivateRedis, prefix: string): Promise<string[]> {
  const client = connect(node.url);
  try {
    return await scanKeys(client, `${prefix}*`);
  } finally {
    client.disconnect();
  }
}

describe('on a Redis Cluster', () => {
  it('the suites of this project run against a cluster', () => {
    expect(REDIS_URL).toMatch(/^redis-cluster:\/\//);
  });

  describe('with three masters', () => {
    let cluster: PrivateCluster;
    let system: SagaflowSystem | undefined;

    beforeAll(async () => {
      cluster = await PrivateCluster.start({ masters: 3, aof: 'off' });
    });
    afterEach(async () => {
      await system?.stop();
      system = undefined;
    });
    afterAll(() => cluster.destroy());

    it("keeps every key and queue of a one-shard deployment in the slot of its prefix's hash tag", async () => {
      system = await SagaflowSystem.start({ redisUrl: cluster.url, env: { SAGAFLOW_SHARDS: '1' } });
      expect(system.prefixes).toEqual([expect.stringMatching(/^\{test-[0-9a-f]+\}$/)]);
      const ids = [
        await startSaga(system, 'transfer', transfer()),
        await startSaga(system, 'transfer', transfer({ toAccount: 'closed-1' })),
      ];
      for (const id of ids) await waitForSaga(system, id);

      const owner = await cluster.masterOf(system.prefix);
      const placed = await Promise.all(cluster.nodes.map((node) => keysOn(node, system?.prefix as string)));
      const ownerKeys = placed[cluster.nodes.indexOf(owner)];
      // Saga state and history, indexes, metrics, the lifecycle outbox, BullMQ's queue keys, the demo's data.
      const expected = [
        `${system.prefix}:saga:{${ids[0]}}`,
        `${system.prefix}:saga:{${ids[0]}}:history`,
        `${system.prefix}:sagas`,
        `${system.prefix}:metrics`,
        `${system.prefix}:lifecycle`,
        `${system.prefix}:saga-transfer:meta`,
        `${system.prefix}:demo:{bank}:accounts`,
      ];
      expect(expected.filter((key) => !ownerKeys.includes(key))).toEqual([]);
      expect(placed.flat()).toHaveLength(ownerKeys.length);
      const slots = new Set(
        await Promise.all(ownerKeys.map((key) => owner.command<number>('CLUSTER', 'KEYSLOT', key))),
      );
      expect(slots.size).toBe(1);
    });

    it('spreads the sagas of a deployment over its shards, each shard one slot, the shards over the masters', async () => {
      system = await SagaflowSystem.start({ redisUrl: cluster.url, env: { SAGAFLOW_SHARDS: '12' } });
      const running = system;
      const before = await totalBalance(running);
      const ids = await Promise.all(
        Array.from({ length: 36 }, (_, i) =>
          startSaga(running, 'transfer', transfer(i % 3 === 0 ? { toAccount: 'closed-1' } : {})),
        ),
      );
      const statuses = await Promise.all(ids.map(async (id) => (await waitForSaga(running, id)).status));
      expect(statuses.filter((status) => status === 'completed')).toHaveLength(24);
      expect(statuses.filter((status) => status === 'compensated')).toHaveLength(12);
      expect(await totalBalance(running)).toBe(before);

      // Each saga's state is on the master of its shard's slot; the shards are on more than one master.
      const masters = new Map<string, PrivateRedis>();
      for (const prefix of running.prefixes) masters.set(prefix, await cluster.masterOf(prefix));
      for (const id of ids) {
        const prefix = running.prefixOf(id);
        expect(await keysOn(masters.get(prefix) as PrivateRedis, `${prefix}:saga:{${id}}`)).toHaveLength(2);
      }
      const shardsUsed = new Set(ids.map((id) => running.prefixOf(id)));
      expect(shardsUsed.size).toBeGreaterThan(1);
      expect(new Set(masters.values()).size).toBeGreaterThan(1);

      // The list merges the shards: every saga once, newest first, page after page.
      const listed: string[] = [];
      let cursor: string | undefined;
      do {
        const query = `/sagas?name=transfer&limit=7${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await running.request<{ items: { id: string }[]; nextCursor?: string }>('GET', query);
        listed.push(...page.body.items.map((item) => item.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(listed).toEqual([...ids].sort().reverse());
      // Counts and counters add the shards up.
      const counts = await running.request<Record<string, number>>('GET', '/sagas/counts?name=transfer');
      expect(counts.body).toMatchObject({ completed: 24, compensated: 12, running: 0 });
      const metrics = await fetch(`${running.baseUrl}/metrics`).then((response) => response.text());
      expect(metrics).toMatch(/^sagaflow_sagas_started_total\{saga="transfer"\} 36$/m);
    });

    it('refuses to start a process set up with another number of shards than the deployment', async () => {
      system = await SagaflowSystem.start({ redisUrl: cluster.url, env: { SAGAFLOW_SHARDS: '3' } });
      const other = await AppProcess.start('worker', { ...system.env, SAGAFLOW_SHARDS: '4' }, /kept in \d+ shard/);
      const exit = await other.stop();
      expect(other.log).toMatch(/kept in 3 shard\(s\).*set up for 4/);
      expect(exit.code).not.toBe(0);
    });
  });

  describe('when the master that serves the sagas is killed', () => {
    let cluster: PrivateCluster | undefined;
    let system: SagaflowSystem | undefined;

    afterEach(async () => {
      await system?.stop().catch(() => undefined);
      await cluster?.destroy();
    });

    it('its replica takes over and every saga started before or after the kill completes, money intact', async () => {
      cluster = await PrivateCluster.start({ masters: 3, replicasPerMaster: 1, nodeTimeoutMs: 1_000 });
      // One shard: every saga lives on the master that is killed.
      system = await SagaflowSystem.start({
        workers: 2,
        redisUrl: cluster.url,
        env: { ...CRASH_ENV, SAGAFLOW_SHARDS: '1' },
      });
      const running = system;
      const before = await totalBalance(running);
      const master = await cluster.masterOf(running.prefix);

      const accepted = await startTransfersInFlight(running);
      const replicaPort = Number(/port=(\d+)/.exec(await replication(master.url, 'slave0'))?.[1]);
      const replica = cluster.nodes.find((node) => node.port === replicaPort) as PrivateRedis;
      // The starts are on the replica; the steps in flight keep writing past that.
      await untilReplicated(master.url, replica.url);

      const killedAt = Date.now();
      const startedBeforeKill = [...accepted];
      await master.kill();
      await waitFor(
        () => replication(replica.url, 'role'),
        (role) => role === 'master',
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      const failedOverMs = Date.now() - killedAt;

      accepted.push(await startOnceAccepted(running));
      const acceptedAgainMs = Date.now() - killedAt;

      await expectCompletedThroughFailover(running, { accepted, startedBeforeKill, killedAt, totalBefore: before });
      console.info(
        `Cluster failover: the replica became master ${failedOverMs} ms after its master was killed; ` +
          `the API accepted sagas again after ${acceptedAgainMs} ms.`,
      );
    }, 150_000);
  });
});
