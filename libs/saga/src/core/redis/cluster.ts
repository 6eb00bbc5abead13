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
