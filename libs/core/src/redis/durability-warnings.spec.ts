import { Cluster, Redis } from 'ioredis';
import { PrivateCluster, PrivateRedis } from '../../../../tools/private-redis';
import { durabilityWarnings } from './durability-warnings';

describe('durabilityWarnings', () => {
  let server: PrivateRedis;
  let redis: Redis;

  beforeAll(async () => {
    server = await PrivateRedis.start();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis.disconnect();
    await server.destroy();
  });

  it('finds nothing wrong with AOF on and noeviction', async () => {
    await expect(durabilityWarnings(redis)).resolves.toEqual([]);
  });

  it('warns about an eviction policy and a missing AOF, saying what to set', async () => {
    await redis.config('SET', 'maxmemory-policy', 'allkeys-lru');
    await redis.config('SET', 'appendonly', 'no');

    const warnings = await durabilityWarnings(redis);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/maxmemory-policy is "allkeys-lru".*Set maxmemory-policy noeviction/);
    expect(warnings[1]).toMatch(/without AOF.*Set appendonly yes/);
  });
});

describe('durabilityWarnings on a Redis Cluster', () => {
  it('asks every node, and names the node of each warning', async () => {
    const cluster = await PrivateCluster.start({ masters: 3, aof: 'off' });
    const client = new Cluster(cluster.nodes.map((node) => ({ host: '127.0.0.1', port: node.port })));
    try {
      await client.ping();

      const warnings = await durabilityWarnings(client as unknown as Redis);

      expect(warnings).toHaveLength(3);
      for (const node of cluster.nodes) {
        expect(warnings).toContainEqual(
          expect.stringMatching(new RegExp(`^127\\.0\\.0\\.1:${node.port}: .*without AOF`)),
        );
      }
    } finally {
      client.disconnect();
      await cluster.destroy();
    }
  });
});
