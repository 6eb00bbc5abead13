import { Logger } from '@nestjs/common';
import { CLUSTER_SCHEME, clusterTarget, isClusterUrl, reconnectDelay } from '@sagaflow/core';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { DEFAULT_SENTINEL_NAME, SENTINEL_SCHEME, sentinelOptions } from './sentinel-connection';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * Where a Redis behind Sentinel is found, and how to log in to it.
 */
export interface RedisSentinelTarget {
  /** Sentinels to ask for the current master; any one that answers is enough. */
  sentinels: { host: string; port: number }[];
  /** The master group name of `sentinel monitor <name> …`. @defaultValue 'mymaster' */
  name?: string;
  /** ACL user and password of the Redis master (not of the sentinels). */
  username?: string;
  password?: string;
  /** Database number selected on the master. @defaultValue 0 */
  db?: number;
  /** Password of the sentinels themselves (`requirepass` in sentinel.conf), when they ask for one. */
  sentinelPassword?: string;
}

/**
 * The `redisUrl` that reaches Redis through Sentinel:
 * `redis-sentinel://[[username]:password@]host:port[,host:port…][/db]?name=<master>[&sentinelPassword=…]`.
 * {@link createRedisConnection} (and so every connection of the engine) understands it.
 */
export function redisSentinelUrl(target: RedisSentinelTarget): string {
  if (target.sentinels.length === 0) throw new Error('Sentinel: give at least one sentinel. Check your configuration.');
  const hosts = target.sentinels.map(hostAndPort);
  const query = new URLSearchParams({ name: target.name ?? DEFAULT_SENTINEL_NAME });
  if (target.sentinelPassword) query.set('sentinelPassword', target.sentinelPassword);
  return `${SENTINEL_SCHEME}${urlLogin(target)}${hosts.join(',')}${target.db ? `/${target.db}` : ''}?${query}`;
}

/** Where a Redis Cluster is found, and how to log in to its nodes. */
export interface RedisClusterTarget {
  /** Nodes to discover the cluster from; any one that answers is enough, the others are learnt from it. */
  nodes: { host: string; port: number }[];
  /** ACL user and password of every node. */
  username?: string;
  password?: string;
}

/**
 * The `redisUrl` that reaches a Redis Cluster: `redis-cluster://[[username]:password@]host:port[,host:port…]`.
 * {@link createRedisConnection} understands it, and the engine then puts its keys and queues under the hash tag
 * of their shard (see `shardPrefixes`).
 */
export function redisClusterUrl(target: RedisClusterTarget): string {
  if (target.nodes.length === 0) throw new Error('Cluster: give at least one node. Check your configuration.');
  return `${CLUSTER_SCHEME}${urlLogin(target)}${target.nodes.map(hostAndPort).join(',')}`;
}

function urlLogin({ username, password }: { username?: string; password?: string }): string {
  return username || password ? `${encodeURIComponent(username ?? '')}:${encodeURIComponent(password ?? '')}@` : '';
}

function hostAndPort({ host, port }: { host: string; port: number }): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * A connection that either fails commands at once while Redis is away (an API answers 503 instead of hanging),
 * or waits for Redis to come back (what BullMQ workers need: `maxRetriesPerRequest: null`).
 *
 * `url` is `redis://` or `rediss://`, `redis-sentinel://` (see {@link redisSentinelUrl}) to find the master
 * through Sentinel, or `redis-cluster://` (see {@link redisClusterUrl}); `duplicate()` copies that, so BullMQ's
 * blocking connections follow a failover too.
 *
 * A cluster connection is typed as `Redis`: ioredis' `Cluster` has the same commands, and the engine sends only
 * commands, scripts and transactions whose keys share one slot (see `shardPrefixes`), which a cluster runs
 * as one Redis would.
 */
export function createRedisConnection(url: string | undefined, mode: 'fail-fast' | 'wait'): Redis {
  const options: RedisOptions = {
    maxRetriesPerRequest: mode === 'fail-fast' ? 1 : null,
    enableOfflineQueue: mode === 'wait',
    retryStrategy: reconnectDelay,
  };
  const target = url ?? DEFAULT_REDIS_URL;
  if (isClusterUrl(target)) return createCluster(target, mode, options);
  const redis = target.startsWith(SENTINEL_SCHEME)
    ? new Redis({ ...sentinelOptions(target), ...options })
    : new Redis(target, options);
  reportOutages(redis);
  return redis;
}

function createCluster(url: string, mode: 'fail-fast' | 'wait', options: RedisOptions): Redis {
  const { nodes, login } = clusterTarget(url);
  const clusterOptions: ClusterOptions = {
    redisOptions: { ...options, ...login },
    enableOfflineQueue: mode === 'wait',
    clusterRetryStrategy: options.retryStrategy,
  };
  const cluster = new Cluster(nodes, clusterOptions);
  reportOutages(cluster);
  return cluster as unknown as Redis;
}

/**
 * Closes a connection on shutdown: QUIT, so that replies in flight arrive, but for at most `graceMs`. A QUIT to a
 * Redis (or a cluster node) that is unreachable would wait for it to come back, and hold the process' exit.
 */
export async function closeRedisConnection(redis: Redis, graceMs = 2_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
  await Promise.race([redis.quit().catch(() => undefined), grace]);
  clearTimeout(timer);
  redis.disconnect();
}

/** One warning when the connection is lost and one line when it is back, instead of an error per retry. */
function reportOutages(redis: Redis | Cluster): void {
  const logger = new Logger('Redis');
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn(`Redis is unreachable (${error.message}); reconnecting.`);
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    logger.log('Redis is reachable again.');
  });
}
