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
