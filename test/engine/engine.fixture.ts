import { IsString } from 'class-validator';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  SagaReaper,
  SagaSweeper,
  SagaWorkers,
  StepExecutor,
  constructingResolver,
  createSagaParts,
  shardPrefixes,
  type PoolWorkerOptions,
  type RedisSagaStore,
  type SagaClient,
  type SagaParts,
  type SagaQueues,
  type SagaRegistry,
  type StepDispatcher,
  type SagaDefinition,
  type SagaLogger,
  type SagaRecord,
  type StepContext,
} from '@sagaflow/core';
import { REDIS_URL, connect, deleteKeys, uniquePrefix } from '../support/redis';
import { waitFor } from '../support/wait-for';

export class Input {
  @IsString()
  orderId!: string;
}

export const silent: SagaLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };
export const TERMINAL = ['completed', 'compensated', 'compensation_failed'];

/** The engine's parts wired by hand, as the Nest modules do: real Redis, real BullMQ queues and workers. */
export class Engine {
  readonly redis: Redis = connect();
  /** Each shard's key prefix: as many shards as the suite's `SAGAFLOW_SHARDS` (the cluster project's spread). */
  readonly prefixes = shardPrefixes(uniquePrefix(), REDIS_URL, Number(process.env.SAGAFLOW_SHARDS ?? 1));
  // Lifecycle events on: every engine test also runs the outbox writes of its transitions.
  private readonly parts: SagaParts;
  readonly registry: SagaRegistry;
  readonly store: RedisSagaStore;
  readonly queues: SagaQueues;
  readonly dispatcher: StepDispatcher;
  readonly client: SagaClient;
  private readonly executor: StepExecutor;
  private readonly workers: SagaWorkers;
  private readonly poolWorkers: SagaWorkers[] = [];
  readonly sweeper: SagaSweeper;
  /** Reaps by hand in tests (`reap()`); `batchSize` as the options give it. */
  readonly reaper: SagaReaper;

  /** The first of the sagas: the one `runToEnd` starts. */
  readonly saga: SagaDefinition;

  /** Step jobs the default pool's workers run at once, per saga. */
  private readonly concurrency: number;

  /**
   * @param options.retentionMs - the deployment's retention of ended sagas (`null`: for ever)
   * @param options.reapBatchSize - sagas the reaper removes per round trip
   * @param options.concurrency - step jobs the workers run at once, per saga
   */
  constructor(
    sagas: SagaDefinition | SagaDefinition[],
    {
      startWorkers = true,
      retentionMs,
      reapBatchSize = 500,
      concurrency = 5,
    }: { startWorkers?: boolean; retentionMs?: number | null; reapBatchSize?: number; concurrency?: number } = {},
  ) {
    this.concurrency = concurrency;
    this.parts = createSagaParts(this.redis, this.prefixes, { lifecycleEvents: true, retentionMs });
    this.registry = this.parts.registry;
    this.store = this.parts.store;
    this.queues = this.parts.queues;
    this.dispatcher = this.parts.dispatcher;
    this.client = this.parts.client;
    this.executor = new StepExecutor(
      this.registry,
      this.store,
      this.dispatcher,
      this.parts.inbox,
      this.parts.children,
      constructingResolver,
      silent,
    );
    // The default pool's workers (every saga's queue); named pools are served by servePools.
    this.workers = this.newWorkers();
    // Swept by hand in tests (sweep()), with no grace: any saga without a live job counts as stuck.
    this.sweeper = new SagaSweeper(this.registry, this.store, this.queues, this.dispatcher, silent, {
      intervalMs: 60_000,
      stuckAfterMs: 0,
    });
    this.reaper = new SagaReaper(this.store, silent, { intervalMs: 60_000, batchSize: reapBatchSize });
    const all = Array.isArray(sagas) ? sagas : [sagas];
    [this.saga] = all;
    all.forEach((saga) => this.registry.register(saga));
    if (startWorkers) this.startWorkers();
  }

  startWorkers(): void {
    this.workers.start(this.registry.names());
  }

  /** Serves named pools, as a worker process told to serve them would. */
  servePools(pools: PoolWorkerOptions[]): SagaWorkers {
    const workers = this.newWorkers();
    workers.start([], pools);
    this.poolWorkers.push(workers);
    return workers;
  }

  private newWorkers(): SagaWorkers {
    const { redis: connection, prefixes: prefix, concurrency } = this;
    return new SagaWorkers(this.executor, silent, { connection, prefix, concurrency });
  }

  /** Stops the workers (finishing what they hold), as a worker process that goes away. */
  stopWorkers(): Promise<void> {
    return this.workers.close();
  }

  /** The prefix of a saga's shard, that of its keys and queues. */
  prefixOf(sagaId: string): string {
    return this.prefixes[this.store.keys.shardOf(sagaId)];
  }

  /** The queue of a saga's (default-pool) jobs and timers: its saga's, in its shard. */
  queueOf(sagaName: string, sagaId: string): Queue {
    return this.queues.get(sagaName, this.store.keys.shardOf(sagaId));
  }

  async runToEnd(input: object = { orderId: 'o-1' }): Promise<SagaRecord> {
    const { id } = await this.client.start(this.saga.name, input);
    return this.waitUntilFinished(id);
  }

  waitUntilFinished(id: string): Promise<SagaRecord> {
    return waitFor(
      () => this.client.get(id),
      (saga) => TERMINAL.includes(saga.status),
    );
  }

  /**
   * Each stage is bounded: on the cluster project, closing once hung past Jest's hook timeout (three times in some
   * ten runs, not reproduced alone); a stage that hangs is named in a warning and the teardown goes on.
   */
  async close(): Promise<void> {
    await bounded('the sweeper', this.sweeper.stop());
    await bounded('the workers', Promise.all([this.workers, ...this.poolWorkers].map((workers) => workers.close())));
    await bounded('the queues', this.queues.close());
    await bounded('deleting the keys', Promise.all(this.prefixes.map((prefix) => deleteKeys(this.redis, prefix))));
    await bounded('the connection', this.redis.quit());
  }
}

const CLOSE_STAGE_MS = 15_000;

/** Waits for one stage of a teardown, at most {@link CLOSE_STAGE_MS}; warns, naming it, if it takes longer. */
async function bounded(stage: string, done: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), CLOSE_STAGE_MS)));
  if ((await Promise.race([done, late])) === 'late') {
    console.warn(`Engine.close: ${stage} did not finish within ${CLOSE_STAGE_MS} ms; going on.`);
  }
  clearTimeout(timer);
}

/** Records every call, in order, so tests can assert what ran and with which idempotency key. */
export function recordingStep(
  calls: string[],
  name: string,
  behaviour: { run?: (ctx: StepContext) => Promise<unknown>; compensate?: (ctx: StepContext) => Promise<void> } = {},
) {
  return {
    async run(data: { input: Input; outputs: Record<string, unknown> }, ctx: StepContext) {
      calls.push(`run ${name} #${ctx.attempt} ${ctx.idempotencyKey}`);
      return behaviour.run ? behaviour.run(ctx) : { from: name, saw: Object.keys(data.outputs) };
    },
    async compensate(_data: unknown, _output: unknown, ctx: StepContext) {
      calls.push(`compensate ${name} #${ctx.attempt}`);
      if (behaviour.compensate) await behaviour.compensate(ctx);
    },
  };
}
