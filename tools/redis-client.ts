import { Cluster, Redis } from 'ioredis';
import { clusterTarget, isClusterUrl } from '@sagaflow/core';

/**
 * A connection for tests and the bench to `redis://…`, or to a cluster (`redis-cluster://…`), typed as `Redis` as
 * the engine's own are (same commands; the engine's keys of one command share a slot). It waits for Redis rather
 * than failing (`maxRetriesPerRequest: null`), as BullMQ workers need.
 */
export function redisClient(url: string): Redis {
  if (!isClusterUrl(url)) return new Redis(url, { maxRetriesPerRequest: null });
  const { nodes, login } = clusterTarget(url);
  return new Cluster(nodes, { redisOptions: { ...login, maxRetriesPerRequest: null } }) as unknown as Redis;
}

/** The servers behind a connection: itself, or a cluster's masters. */
export function mastersOf(redis: Redis): Redis[] {
  return redis.isCluster ? (redis as unknown as Cluster).nodes('master') : [redis];
}
