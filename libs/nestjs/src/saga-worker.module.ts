import {
  ConfigurableModuleBuilder,
  Inject,
  Logger,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Redis } from 'ioredis';
import {
  ChildSagas,
  DEFAULT_POOL,
  definitionWarnings,
  poolsOf,
  EventInbox,
  EventQueueWorker,
  RedisSagaStore,
  SagaClient,
  SagaQueues,
  SagaRegistry,
  SagaSweeper,
  SagaReaper,
  SagaSchedules,
  ScheduleWorker,
  SagaWorkers,
  StepDispatcher,
  StepExecutor,
  LifecycleOutbox,
  crashProbe,
  type AttemptObserver,
  type EventSink,
  type EventSource,
  formatCrashPoint,
  parseCrashPoint,
  type SagaSweeperOptions,
  type SagaReaperOptions,
  type StepProbe,
} from '@sagaflow/core';
import { NestSagaLogger } from './nest-saga-logger';
import { SagaBrokers, type BrokerFactory } from './saga-brokers';
import { NestStepResolver } from './nest-step-resolver';
import { closeRedisConnection, createRedisConnection } from './redis-connection';
import type { SagaModuleOptions } from './saga-module-options.interface';
import { SAGA_MODULE_OPTIONS } from './saga.module-definition';
import { SAGA_PREFIX } from './saga.tokens';

/** Options of {@link SagaWorkerModule.forRoot}. @publicApi */
export interface SagaWorkerModuleOptions {
  /**
   * Step jobs this process runs at once, per saga.
   * @defaultValue 10
   */
  concurrency?: number;
  /** How long a worker's claim on a step lasts (`SagaWorkersOptions.lockDurationMs` of the core). @defaultValue 30000 */
  lockDurationMs?: number;
  /** When to look for sagas that no job moves; see {@link SagaSweeperOptions}. */
  sweeper?: SagaSweeperOptions;
  /** When and how fast to remove ended sagas past their retention; see {@link SagaReaperOptions}. */
  reaper?: SagaReaperOptions;
  /**
   * For crash tests only (`@sagaflow/testing`): the process kills itself when a step passes this point,
   * written `saga/step/phase/moment` (see {@link CrashPoint}). Never set it in production: it is sabotage there.
   */
  crashAt?: string;
  /**
   * The worker pools this process serves: `default` (the steps that name no pool, and every saga's timers) and
   * named ones (see `StepOptions.pool`).
   * @defaultValue every pool the registered sagas use, and `default`
   */
  pools?: string[];
  /** Step jobs of a named pool this process runs at once, by pool; `concurrency` for the others. */
  poolConcurrency?: Record<string, number>;
  /** BullMQ's rate limiter of a named pool, across all processes: at most `max` jobs per `durationMs`. */
  poolRateLimits?: Record<string, { max: number; durationMs: number }>;
  /** Brokers events come from (see `brokersFrom` for the ones the environment describes). */
  sources?: BrokerFactory<EventSource>[];
  /** Brokers the lifecycle events are published to; without any, the outbox only feeds live readers. */
  sinks?: BrokerFactory<EventSink>[];
  /**
   * Wrap every step attempt this process runs, such as for metrics. Spans need none: the engine makes them
   * whenever an OpenTelemetry SDK is registered.
   */
  observers?: AttemptObserver[];
}

export const { ConfigurableModuleClass: ConfigurableSagaWorkerModule, MODULE_OPTIONS_TOKEN: SAGA_WORKER_OPTIONS } =
  new ConfigurableModuleBuilder<SagaWorkerModuleOptions>({ moduleName: 'SagaWorker' })
    .setClassMethodName('forRoot')
    .build();

const WORKER_REDIS = Symbol('SAGA_WORKER_REDIS');

/** The crash probe of a crash test, when one is asked for. */
function probeFor(crashAt: string | undefined): StepProbe | undefined {
  if (!crashAt) return undefined;
  const point = parseCrashPoint(crashAt);
  new Logger(SagaWorkerModule.name).warn(`Crash test: this process kills itself at ${formatCrashPoint(point)}`);
  return crashProbe(point);
}

/**
 * Runs the steps of every registered saga in this process: one BullMQ worker per saga queue, and one on the
 * events queue ({@link EVENTS_QUEUE}). Steps given as
 * classes are resolved from Nest's container, so they must be providers of some imported module. On shutdown
 * it stops taking jobs and finishes the ones it holds before the connections close.
 * @publicApi
 */
@Module({
  providers: [
    {
      provide: WORKER_REDIS,
      useFactory: ({ redisUrl }: SagaModuleOptions) => createRedisConnection(redisUrl, 'wait'),
      inject: [SAGA_MODULE_OPTIONS],
    },
    NestStepResolver,
    {
      provide: SagaWorkers,
      useFactory: (
        registry: SagaRegistry,
        store: RedisSagaStore,
        dispatcher: StepDispatcher,
        inbox: EventInbox,
        children: ChildSagas,
        resolver: NestStepResolver,
        connection: Redis,
        { concurrency, lockDurationMs, crashAt, observers }: SagaWorkerModuleOptions,
      ) => {
        const logger = new NestSagaLogger(StepExecutor.name);
        const executor = new StepExecutor(
          registry,
          store,
          dispatcher,
          inbox,
          children,
          resolver.resolve,
          logger,
          probeFor(crashAt),
          observers,
        );
        const prefix = store.keys.prefixes;
        return new SagaWorkers(executor, logger, { connection, prefix, concurrency, lockDurationMs });
      },
      inject: [
        SagaRegistry,
        RedisSagaStore,
        StepDispatcher,
        EventInbox,
        ChildSagas,
        NestStepResolver,
        WORKER_REDIS,
        SAGA_WORKER_OPTIONS,
      ],
    },
    {
      provide: EventQueueWorker,
      useFactory: (client: SagaClient, connection: Redis, prefix: string, { concurrency }: SagaWorkerModuleOptions) =>
        new EventQueueWorker(client, new NestSagaLogger(EventQueueWorker.name), { connection, prefix, concurrency }),
      inject: [SagaClient, WORKER_REDIS, SAGA_PREFIX, SAGA_WORKER_OPTIONS],
    },
    {
      provide: SagaBrokers,
      useFactory: (
        client: SagaClient,
        outbox: LifecycleOutbox,
        connection: Redis,
        prefix: string,
        { sources, sinks }: SagaWorkerModuleOptions,
      ) => new SagaBrokers(client, outbox, connection, prefix, (name) => new NestSagaLogger(name), { sources, sinks }),
      inject: [SagaClient, LifecycleOutbox, WORKER_REDIS, SAGA_PREFIX, SAGA_WORKER_OPTIONS],
    },
    {
      provide: SagaSweeper,
      useFactory: (
        registry: SagaRegistry,
        store: RedisSagaStore,
        queues: SagaQueues,
        dispatcher: StepDispatcher,
        { sweeper }: SagaWorkerModuleOptions,
      ) =>
        new SagaSweeper(registry, store, queues, dispatcher, new NestSagaLogger(SagaSweeper.name), {
          intervalMs: sweeper?.intervalMs ?? 15_000,
          stuckAfterMs: sweeper?.stuckAfterMs ?? 30_000,
        }),
      inject: [SagaRegistry, RedisSagaStore, SagaQueues, StepDispatcher, SAGA_WORKER_OPTIONS],
    },
    {
      provide: ScheduleWorker,
      useFactory: (schedules: SagaSchedules, client: SagaClient, connection: Redis, prefix: string) =>
        new ScheduleWorker(schedules, client, new NestSagaLogger(ScheduleWorker.name), { connection, prefix }),
      inject: [SagaSchedules, SagaClient, WORKER_REDIS, SAGA_PREFIX],
    },
    {
      provide: SagaReaper,
      useFactory: (store: RedisSagaStore, { reaper }: SagaWorkerModuleOptions) =>
        new SagaReaper(store, new NestSagaLogger(SagaReaper.name), {
          intervalMs: reaper?.intervalMs ?? 60_000,
          batchSize: reaper?.batchSize ?? 500,
        }),
      inject: [RedisSagaStore, SAGA_WORKER_OPTIONS],
    },
  ],
})
export class SagaWorkerModule
  extends ConfigurableSagaWorkerModule
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger(SagaWorkerModule.name);

  constructor(
    private readonly workers: SagaWorkers,
    private readonly registry: SagaRegistry,
    private readonly resolver: NestStepResolver,
    private readonly sweeper: SagaSweeper,
    private readonly reaper: SagaReaper,
    private readonly events: EventQueueWorker,
    private readonly scheduled: ScheduleWorker,
    private readonly brokers: SagaBrokers,
    @Inject(WORKER_REDIS) private readonly connection: Redis,
    @Inject(SAGA_WORKER_OPTIONS) private readonly options: SagaWorkerModuleOptions,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const definition of this.registry.all()) {
      definitionWarnings(definition).forEach((warning) => this.logger.warn(warning));
      for (const step of definition.steps) {
        if (step.child && !this.registry.names().includes(step.child.saga)) {
          throw new Error(
            `Step "${step.name}" of saga "${definition.name}" starts saga "${step.child.saga}", which is not ` +
              'registered: add it to SagaModule.forFeature in the worker processes that run the parent.',
          );
        }
        if (!step.ref) continue;
        try {
          this.resolver.resolve(step.ref);
        } catch (error) {
          throw new Error(
            `Step "${step.name}" of saga "${definition.name}" cannot be resolved: ${(error as Error).message} ` +
              'Make sure the module that registers the saga also provides its step classes.',
            { cause: error },
          );
        }
      }
    }
    const names = this.registry.names();
    const pools = this.servedPools();
    this.workers.start(
      pools.includes(DEFAULT_POOL) ? names : [],
      pools
        .filter((pool) => pool !== DEFAULT_POOL)
        .map((name) => ({
          name,
          concurrency: this.options.poolConcurrency?.[name],
          rateLimit: this.options.poolRateLimits?.[name],
        })),
    );
    this.events.start();
    this.scheduled.start();
    this.sweeper.start();
    this.reaper.start();
    this.logger.log(
      `Processing steps of ${names.length ? names.join(', ') : 'no sagas (none registered)'} in pools ${pools.join(', ')}`,
    );
    const brokers = await this.brokers.start();
    if (brokers.length > 0) this.logger.log(`Brokers: ${brokers.join(', ')}`);
    void this.reportUnregisteredVersions();
  }

  /** The pools this process serves; a pool no registered step runs in is served, and said at boot. */
  private servedPools(): string[] {
    const used = poolsOf(this.registry.all());
    const pools = this.options.pools ?? [DEFAULT_POOL, ...used];
    for (const pool of pools) {
      if (pool !== DEFAULT_POOL && !used.includes(pool)) {
        this.logger.warn(`Pool "${pool}" is served here, but no registered saga has a step in it (a typo?).`);
      }
    }
    return pools;
  }

  /** Says which in-flight sagas run on definition versions this process lacks: they wait for one that has them. */
  private async reportUnregisteredVersions(): Promise<void> {
    try {
      for (const { saga, version, sagaIds } of await this.sweeper.unregisteredVersions()) {
        this.logger.warn(
          `${sagaIds.length} in-flight saga(s) of "${saga}" v${version}, a version not registered here, wait for a ` +
            `process that registers it (e.g. ${sagaIds.slice(0, 5).join(', ')}); GET /sagas/:id shows them as needing attention.`,
        );
      }
    } catch (error) {
      this.logger.warn(`Could not look for sagas of unregistered versions: ${(error as Error).message}`);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.brokers.stop();
    await Promise.all([this.sweeper.stop(), this.reaper.stop()]);
    await Promise.all([this.workers.close(), this.events.close(), this.scheduled.close()]);
    await closeRedisConnection(this.connection);
  }
}
