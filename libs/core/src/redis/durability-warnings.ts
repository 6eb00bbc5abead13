import type { Cluster, Redis } from 'ioredis';

/**
 * What in the Redis configuration could lose sagas: an eviction policy that may delete keys under memory
 * pressure (a saga's state, or the job that moves it), and no AOF (a Redis crash loses what was written since
 * the last snapshot). Empty when nothing is wrong. Managed services may refuse CONFIG; that is reported too. On
 * a cluster every node is asked (a replica serves the engine's slot once promoted), and each warning names it.
 * @publicApi
 */
export async function durabilityWarnings(redis: Redis): Promise<string[]> {
  if (!redis.isCluster) return serverWarnings(redis);
  const nodes = (redis as unknown as Cluster).nodes('all');
  const warnings = await Promise.all(
    nodes.map(async (node) =>
      (await serverWarnings(node)).map((warning) => `${node.options.host}:${node.options.port}: ${warning}`),
    ),
  );
  return warnings.flat();
}

async function serverWarnings(redis: Redis): Promise<string[]> {
  let policy: string | undefined;
  let appendOnly: string | undefined;
  try {
    [, policy] = (await redis.config('GET', 'maxmemory-policy')) as string[];
    [, appendOnly] = (await redis.config('GET', 'appendonly')) as string[];
  } catch (error) {
    return [
      `Could not read the Redis configuration (${(error as Error).message}); make sure it uses maxmemory-policy noeviction and AOF.`,
    ];
  }
  const warnings: string[] = [];
  if (policy !== 'noeviction') {
    warnings.push(
      `Redis maxmemory-policy is "${policy}": under memory pressure Redis may evict saga state or step jobs, ` +
        'and those sagas are lost. Set maxmemory-policy noeviction.',
    );
  }
  if (appendOnly !== 'yes') {
    warnings.push(
      'Redis runs without AOF (appendonly no): a Redis crash or restart loses the sagas written since its last ' +
        'snapshot. Set appendonly yes (appendfsync everysec) for sagas that must not be lost.',
    );
  }
  return warnings;
}
