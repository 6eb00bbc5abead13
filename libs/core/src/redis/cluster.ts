/** The scheme of a `redisUrl` that names a Redis Cluster by some of its nodes. */
export const CLUSTER_SCHEME = 'redis-cluster://';

/** Whether a `redisUrl` names a Redis Cluster. */
export function isClusterUrl(url: string | undefined): boolean {
  return url?.startsWith(CLUSTER_SCHEME) ?? false;
}

/**
 * The prefix of every key and queue of the engine. On a cluster it is the hash tag `{prefix}`, so that every
 * key lands in one slot: a transition script, the MULTI that starts a saga and adds its first job, and BullMQ's
 * own scripts each touch several keys, which a cluster only runs together when they share a slot.
 * @publicApi
 */
export function keyPrefix(prefix: string, redisUrl: string | undefined): string {
  return isClusterUrl(redisUrl) ? `{${prefix}}` : prefix;
}

/**
 * The key prefix of each shard of a deployment (see `SagaKeys`): `keyPrefix(prefix)` for one shard, else
 * `keyPrefix(prefix-0)`, `keyPrefix(prefix-1)`, …: on a cluster, a hash tag and so a slot per shard.
 * @publicApi
 */
export function shardPrefixes(prefix: string, redisUrl: string | undefined, shards = 1): string[] {
  if (!Number.isInteger(shards) || shards < 1)
    throw new Error(`shards must be a whole number of at least 1, not ${shards}.`);
  if (shards === 1) return [keyPrefix(prefix, redisUrl)];
  return Array.from({ length: shards }, (_, shard) => keyPrefix(`${prefix}-${shard}`, redisUrl));
}

/**
 * Parses a comma-separated `host:port` list (`10.0.0.1:26379,[::1]:26379`), as `SAGAFLOW_REDIS_SENTINELS` and
 * `SAGAFLOW_REDIS_CLUSTER_NODES` give it.
 * @publicApi
 * @throws naming the entry that is not `host:port` with a port between 1 and 65535
 */
export function parseHostList(list: string): { host: string; port: number }[] {
  return list
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:,[\]]+)):(\d{1,5})$/.exec(entry);
      const port = Number(match?.[3]);
      if (!match || port < 1 || port > 65_535) {
        throw new Error(`Address "${entry}" must be host:port. Check your configuration.`);
      }
      return { host: match[1] ?? match[2], port };
    });
}

/**
 * The nodes and the login of a `redis-cluster://[[user]:password@]host:port[,host:port…]` URL.
 * @publicApi
 */
export function clusterTarget(url: string): {
  nodes: { host: string; port: number }[];
  login: { username?: string; password?: string };
} {
  const match = /^redis-cluster:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#@]+)\/?$/.exec(url);
  if (!match) {
    throw new Error(
      'A redis-cluster:// URL must read redis-cluster://[[user]:password@]host:port[,host:port…]. ' +
        'Check your configuration.',
    );
  }
  const [, username, password, hosts] = match;
  return {
    nodes: parseHostList(hosts),
    login: {
      username: username ? decodeURIComponent(username) : undefined,
      password: password ? decodeURIComponent(password) : undefined,
    },
  };
}
