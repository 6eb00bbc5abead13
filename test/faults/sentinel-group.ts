import { PrivateRedis, PrivateSentinel } from '../../tools/private-redis';
import { replication } from '../support/redis';
import { waitFor } from '../support/wait-for';

/** A master, a replica in sync with it, and a sentinel (down after 1 s) that sees both: what a failover test kills. */
export interface SentinelGroup {
  master: PrivateRedis;
  replica: PrivateRedis;
  sentinel: PrivateSentinel;
}

export async function startSentinelGroup({ aof }: { aof: 'everysec' | 'off' }): Promise<SentinelGroup> {
  // No delay before the first full sync (Redis 7 waits 5 s for more replicas to share it).
  const master = await PrivateRedis.start({ aof, args: ['--repl-diskless-sync-delay', '0'] });
  const replica = await PrivateRedis.start({ aof, args: ['--replicaof', '127.0.0.1', String(master.port)] });
  await waitFor(
    () => replication(replica.url, 'master_link_status'),
    (status) => status === 'up',
    { timeoutMs: 20_000, intervalMs: 100 },
  );
  const sentinel = await PrivateSentinel.start({
    masterPort: master.port,
    downAfterMs: 1_000,
    failoverTimeoutMs: 5_000,
  });
  await waitFor(
    () => sentinel.replicasUp(),
    (up) => up === 1,
    { timeoutMs: 20_000, intervalMs: 200 },
  );
  return { master, replica, sentinel };
}

/** Waits until the sentinel names the replica as the master. */
export async function untilReplicaPromoted({ replica, sentinel }: SentinelGroup): Promise<void> {
  await waitFor(
    () => sentinel.masterPort(),
    (port) => port === replica.port,
    { timeoutMs: 30_000, intervalMs: 100 },
  );
}
