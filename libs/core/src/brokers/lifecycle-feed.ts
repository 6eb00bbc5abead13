import type { Cluster, Redis } from 'ioredis';
import { Observable, merge, share } from 'rxjs';
import type { LifecycleOutbox } from './lifecycle-outbox';
import type { SagaLifecycleEvent } from './saga-lifecycle-event';

const BATCH = 200;
const BLOCK_MS = 1_000;
/** The events after which a saga does not change unless an operator acts. */
const FINAL = new Set(['saga.completed', 'saga.compensated']);

/**
 * Lifecycle events as RxJS Observables, for Nest code that wants to react (the shape of `@nestjs/cqrs`' event
 * streams) and for live views. One blocking reader of each shard's outbox per process, shared by every subscriber,
 * started with the first and stopped with the last.
 * @publicApi
 */
export class LifecycleFeed {
  /**
   * Every lifecycle event written from the moment of subscribing, of every saga; each saga's in order (the
   * shards' streams are read side by side).
   */
  readonly events$: Observable<SagaLifecycleEvent>;

  constructor(
    private readonly redis: Redis,
    private readonly outbox: LifecycleOutbox,
  ) {
    const shards = outbox.keys.shards().map((shard) =>
      this.follow(
        shard,
        () => outbox.lastId(shard),
        () => true,
        () => false,
      ),
    );
    this.events$ = merge(...shards).pipe(share());
  }

  /**
   * One saga's events since `fromId` (`<createdAt ms>-0` for all of them, as long as the outbox keeps them), then
   * live ones as they are written, in order; completes after the saga completes or is compensated. Reads with a
   * connection of its own, from one position on: past and live events meet without a gap or a repeat.
   */
  saga(sagaId: string, fromId: string): Observable<SagaLifecycleEvent> {
    return this.follow(
      this.outbox.keys.shardOf(sagaId),
      async () => fromId,
      (event) => event.sagaId === sagaId,
      (event) => FINAL.has(event.type),
    );
  }

  /**
   * A shard's outbox events after a position, those `wanted`, up to one that `ends` the stream; read with a
   * connection per subscription.
   */
  private follow(
    shard: number,
    from: () => Promise<string>,
    wanted: (event: SagaLifecycleEvent) => boolean,
    ends: (event: SagaLifecycleEvent) => boolean,
  ): Observable<SagaLifecycleEvent> {
    return new Observable<SagaLifecycleEvent>((subscriber) => {
      const connection = reader(this.redis);
      let open = true;
      void (async () => {
        let last = await from();
        while (open) {
          const events = await this.outbox.waitAfter(connection, shard, last, BATCH, BLOCK_MS);
          for (const event of events.filter(wanted)) {
            subscriber.next(event);
            if (ends(event)) return subscriber.complete();
          }
          last = events.at(-1)?.id ?? last;
        }
      })().catch((error: unknown) => {
        if (open) subscriber.error(error);
      });
      return () => {
        open = false;
        connection.disconnect();
      };
    });
  }
}

/**
 * A connection of its own for blocking reads. It waits for Redis rather than failing at once (as a fail-fast API
 * connection would): a reader is patient.
 */
function reader(redis: Redis): Redis {
  if (!redis.isCluster) return redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
  // A cluster's duplicate takes its startup nodes first, and its node options whole.
  const cluster = redis as unknown as Cluster;
  const redisOptions = { ...cluster.options.redisOptions, maxRetriesPerRequest: null };
  return cluster.duplicate([], { enableOfflineQueue: true, redisOptions }) as unknown as Redis;
}
