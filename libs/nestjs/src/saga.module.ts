import {
  Inject,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Redis } from 'ioredis';
import {
  BulkOperations,
  ChildSagas,
  EVENTS_QUEUE,
  LifecycleFeed,
  LifecycleOutbox,
  EventInbox,
  NAME_PATTERN,
  RedisSagaStore,
  SagaClient,
  SagaQueues,
  SagaRegistry,
  SagaSchedules,
  StepDispatcher,
  durabilityWarnings,
  SagaKeys,
  keyPrefix,
  shardPrefixes,
  poolQueueName,
  poolsOf,
  queueName,
  retentionMs,
  type SagaDefinition,
} from '@sagaflow/core';
import { onEveryRedisReady } from './on-every-redis-ready';
import { checkShardCount } from './shard-count';
import { closeRedisConnection, createRedisConnection } from './redis-connection';
import type { SagaModuleOptions } from './saga-module-options.interface';
import { ConfigurableSagaModule, SAGA_MODULE_OPTIONS } from './saga.module-definition';
import { SAGA_PREFIX, SAGA_REDIS } from './saga.tokens';

/** The deployment's retention of ended sagas in ms (`null`: for ever), from `SagaModule.forRoot`'s `retention`. */
const SAGA_RETENTION_MS = Symbol('SAGA_RETENTION_MS');

const DEFAULT_PREFIX = 'sagaflow';
const DEFAULT_EVENT_RETENTION_MS = 86_400_000;
/** How long a starting process waits for Redis to check the number of shards before it goes on without. */
const SHARD_CHECK_WAIT_MS = 3_000;

const providers: Provider[] = [
  {
    provide: getQueueToken(EVENTS_QUEUE),
    useFactory: (queues: SagaQueues) => queues.events(),
    inject: [SagaQueues],
  },
  {
    provide: SagaKeys,
    useFactory: ({ prefix = DEFAULT_PREFIX, redisUrl, shards = 1 }: SagaModuleOptions) => {
      if (!NAME_PATTERN.test(prefix)) {
        throw new Error(`SagaModule: prefix "${prefix}" must match ${NAME_PATTERN}. Check your configuration.`);
      }
      return new SagaKeys(shardPrefixes(prefix, redisUrl, shards));
    },
    inject: [SAGA_MODULE_OPTIONS],
  },
  { provide: SAGA_PREFIX, useFactory: (keys: SagaKeys) => keys.prefix, inject: [SagaKeys] },
  {
    provide: SAGA_REDIS,
    useFactory: ({ redisUrl, failFast }: SagaModuleOptions) =>
      createRedisConnection(redisUrl, failFast ? 'fail-fast' : 'wait'),
    inject: [SAGA_MODULE_OPTIONS],
  },
  { provide: SagaRegistry, useFactory: () => new SagaRegistry() },
  {
    provide: SAGA_RETENTION_MS,
    useFactory: ({ retention = '7d' }: SagaModuleOptions) => {
      const ms = retentionMs(retention);
      if (ms === undefined) {
        throw new Error(
          `SagaModule: retention "${retention}" must be a positive duration (such as '7d' or '12h') or 'forever'. ` +
            'Check your configuration.',
        );
      }
      return ms;
    },
    inject: [SAGA_MODULE_OPTIONS],
  },
  {
    provide: RedisSagaStore,
    useFactory: (
      redis: Redis,
      keys: SagaKeys,
      { lifecycleEvents = true }: SagaModuleOptions,
      retention: number | null,
    ) => new RedisSagaStore(redis, keys.prefixes, { lifecycleEvents, retentionMs: retention }),
    inject: [SAGA_REDIS, SagaKeys, SAGA_MODULE_OPTIONS, SAGA_RETENTION_MS],
  },
  {
    provide: SagaQueues,
    useFactory: (redis: Redis, store: RedisSagaStore) => new SagaQueues(redis, store.keys),
    inject: [SAGA_REDIS, RedisSagaStore],
  },
  {
    provide: StepDispatcher,
    useFactory: (queues: SagaQueues, retention: number | null) => new StepDispatcher(queues, retention),
    inject: [SagaQueues, SAGA_RETENTION_MS],
  },
  {
    provide: EventInbox,
    useFactory: (
      registry: SagaRegistry,
      store: RedisSagaStore,
      dispatcher: StepDispatcher,
      redis: Redis,
      { eventRetentionMs = DEFAULT_EVENT_RETENTION_MS }: SagaModuleOptions,
    ) => new EventInbox(registry, store, dispatcher, redis, eventRetentionMs),
    inject: [SagaRegistry, RedisSagaStore, StepDispatcher, SAGA_REDIS, SAGA_MODULE_OPTIONS],
  },
  {
    provide: SagaClient,
    useFactory: (
      registry: SagaRegistry,
      store: RedisSagaStore,
      dispatcher: StepDispatcher,
      inbox: EventInbox,
      queues: SagaQueues,
      { idempotencyTtlMs }: SagaModuleOptions,
    ) => new SagaClient(registry, store, dispatcher, inbox, queues, { idempotencyTtlMs }),
    inject: [SagaRegistry, RedisSagaStore, StepDispatcher, EventInbox, SagaQueues, SAGA_MODULE_OPTIONS],
  },
  {
    provide: BulkOperations,
    useFactory: (redis: Redis, keys: SagaKeys, client: SagaClient) => new BulkOperations(redis, keys, client),
    inject: [SAGA_REDIS, SagaKeys, SagaClient],
  },
  {
    provide: LifecycleOutbox,
    useFactory: (redis: Redis, store: RedisSagaStore) => new LifecycleOutbox(redis, store.keys),
    inject: [SAGA_REDIS, RedisSagaStore],
  },
  {
    provide: LifecycleFeed,
    useFactory: (redis: Redis, outbox: LifecycleOutbox) => new LifecycleFeed(redis, outbox),
    inject: [SAGA_REDIS, LifecycleOutbox],
  },
  {
    provide: SagaSchedules,
    useFactory: (registry: SagaRegistry, queues: SagaQueues, redis: Redis) =>
      new SagaSchedules(registry, queues, redis),
    inject: [SagaRegistry, SagaQueues, SAGA_REDIS],
  },
  {
    provide: ChildSagas,
    useFactory: (registry: SagaRegistry, store: RedisSagaStore, dispatcher: StepDispatcher, client: SagaClient) =>
      new ChildSagas(registry, store, dispatcher, client),
    inject: [SagaRegistry, RedisSagaStore, StepDispatcher, SagaClient],
  },
];

/** Holds the registrations of one `forFeature` call. */
@Module({})
class SagaFeatureModule {}

/**
 * The engine's shared pieces: the Redis connection, the saga store, the queues and {@link SagaClient}.
 * Import `SagaModule.forRoot(...)` (or `forRootAsync`) once; it is global. Register sagas with
 * `SagaModule.forFeature([...])` in the module that provides their steps.
 * @publicApi
 */
@Module({
  providers,
  exports: [...providers.map((provider) => (provider as { provide: symbol }).provide), SAGA_MODULE_OPTIONS],
})
export class SagaModule extends ConfigurableSagaModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(SAGA_REDIS) private readonly redis: Redis,
    private readonly queues: SagaQueues,
    private readonly bulk: BulkOperations,
    @Inject(SAGA_MODULE_OPTIONS) private readonly options: SagaModuleOptions,
  ) {
    super();
  }

  /**
   * Registers saga definitions, and exposes each saga's BullMQ queue under `getQueueToken(queueName(name))`, and
   * the queue of each pool their steps run in under `getQueueToken(poolQueueName(pool))` (for Bull Board, or to
   * inspect them). Over several shards the saga's token is its first shard's queue; `SagaQueues.get(name, shard)`
   * gives the others.
   */
  static forFeature(definitions: readonly SagaDefinition[]): DynamicModule {
    const sagaQueues = [...new Set(definitions.map((definition) => definition.name))].map((name) => ({
      provide: getQueueToken(queueName(name)),
      useFactory: (queues: SagaQueues) => queues.get(name),
      inject: [SagaQueues],
    }));
    const poolQueues = poolsOf(definitions).map((pool) => ({
      provide: getQueueToken(poolQueueName(pool)),
      useFactory: (queues: SagaQueues) => queues.pool(pool),
      inject: [SagaQueues],
    }));
    const queueProviders = [...sagaQueues, ...poolQueues];
    return {
      module: SagaFeatureModule,
      providers: [
        {
          provide: Symbol('SAGA_FEATURE_REGISTRATION'),
          useFactory: (registry: SagaRegistry) => definitions.forEach((definition) => registry.register(definition)),
          inject: [SagaRegistry],
        },
        ...queueProviders,
      ],
      exports: queueProviders.map((provider) => provider.provide),
    };
  }

  private stopChecking?: () => void;

  /**
   * Refuses to start with another number of shards than the deployment's sagas are kept in, when Redis answers
   * within a few seconds; checks again (logging an error) each time the connection becomes ready later. Warns
   * about a Redis set up to lose data, once connected and after each reconnection (it may have restarted).
   */
  async onApplicationBootstrap(): Promise<void> {
    const logger = new Logger(SagaModule.name);
    const { prefix = DEFAULT_PREFIX, redisUrl, shards = 1 } = this.options;
    const checkShards = () => checkShardCount(this.redis, `${keyPrefix(prefix, redisUrl)}:shards`, shards);
    if (await this.queues.connected(SHARD_CHECK_WAIT_MS)) await checkShards();
    // Registered after the check: the connection's next 'ready' is a later (re)connection.
    const recheckShards = (): void => void checkShards().catch((error: Error) => logger.error(error.message));
    this.redis.on('ready', recheckShards);
    const stopWarning = onEveryRedisReady(
      this.redis,
      async () => (await durabilityWarnings(this.redis)).forEach((warning) => logger.warn(warning)),
      (error) => logger.warn(`Could not check the Redis configuration: ${String(error)}`),
    );
    this.stopChecking = () => {
      this.redis.off('ready', recheckShards);
      stopWarning();
    };
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopChecking?.();
    // A bulk operation finishes its current batch while Redis is still open.
    await this.bulk.close();
    await this.queues.close();
    await closeRedisConnection(this.redis);
  }
}
