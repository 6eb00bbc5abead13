import type { Redis } from 'ioredis';

/** The sockets held back until the end of the event loop's current turn. */
const held = new WeakSet<object>();

/**
 * Holds back the writes to a connection's socket until the end of the event loop's current turn (`setImmediate`),
 * so that the commands issued meanwhile leave in one write (one system call) rather than one each: the jobs woken
 * by one read of replies each send their next transition within the same turn, and at a concurrency of 50 the
 * write calls, in the worker and in Redis, cost a step more than its JavaScript. To the end of the turn rather
 * than of the tick: BullMQ sends a job's finish a few promise callbacks after the job's last transition, and so
 * joins its write (a round trip's system calls fewer per saga). The commands keep their order and each its own
 * reply; they wait only for the turn to end, which does not wait for I/O while an immediate is pending. Not for a
 * cluster (a connection per node) or a connection not ready (its commands are queued by ioredis).
 */
export function batchWrites(redis: Redis): void {
  if (redis.isCluster || redis.status !== 'ready') return;
  const { stream } = redis;
  if (held.has(stream)) return;
  held.add(stream);
  stream.cork();
  setImmediate(release, stream);
}

function release(stream: Redis['stream']): void {
  // Not held (released early by releaseWrites): a later hold has a release of its own.
  if (!held.delete(stream)) return;
  stream.uncork();
}

/** Sends what {@link batchWrites} holds back of a connection now, rather than at the end of the turn. */
export function releaseWrites(redis: Redis): void {
  release(redis.stream);
}
