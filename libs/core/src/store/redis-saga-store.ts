import type { ChainableCommander, Redis } from 'ioredis';
import { DEFAULT_RETENTION_MS } from '../definition/retention';
import type { SagaDefinition, StepDefinition } from '../definition/saga-definition';
import { execAll, guardRedis } from '../redis/guard-redis';
import { LuaScripts } from '../redis/lua-scripts';
import { sagaIdTimePrefix } from './saga-id';
import { SagaKeys } from './saga-keys';
import { parseMetrics, type SagaMetrics } from './saga-metrics';
import {
  beginResult,
  cancelOutcome,
  operatorOutcome,
  removeOutcome,
  signalOutcome,
  startOutcome,
  toAttemptData,
  toCursor,
  toTransition,
  type ScriptReply,
} from './script-replies';
import { SAGA_STATUSES } from './saga-record';
import type {
  ErrorInfo,
  HistoryEntry,
  SagaParent,
  SagaPage,
  SagaRecord,
  SagaStatus,
  SagaSummary,
  SignalRecord,
  StepRecord,
  StepStatus,
} from './saga-record';
import type {
  ActiveSaga,
  BeginResult,
  CancelOutcome,
  FailTransition,
  OperatorOutcome,
  ParkTransition,
  RemoveOutcome,
  SagaHead,
  SignalOutcome,
  StartOutcome,
  StepJobRef,
  TraceCarrier,
  Transition,
} from './transition';
import { LUA_DIR } from '../lua-dir';
import { TransitionBatches, type BatchedTransition } from './transition-batches';

const SCRIPTS = [
  'start-saga-9.lua',
  'begin-step-6.lua',
  'complete-step-6.lua',
  'fail-step-6.lua',
  'retry-compensation-6.lua',
  'resolve-saga-6.lua',
  'park-wait-8.lua',
  'deliver-event-6.lua',
  'send-signal-8.lua',
  'expire-wait-6.lua',
  'cancel-saga-6.lua',
  'skip-step-6.lua',
  'compensate-saga-6.lua',
  'remove-saga-6.lua',
  'transitions-n.lua',
] as const;
type ScriptFile = (typeof SCRIPTS)[number];
/** Step statuses after which a step of a parallel group no longer runs; see `lua/includes/group.lua`. */
const SETTLED_STEP_STATUSES = new Set<StepStatus>(['succeeded', 'failed', 'skipped', 'cancelled']);
const SUMMARY_FIELDS = ['name', 'version', 'status', 'createdAt', 'updatedAt', 'finishedAt'] as const;
/** Index entries read per round trip while a filtered listing looks for matches. */
const LIST_BATCH = 200;
/** Upper bound of index entries one listing call reads, so a rare filter cannot scan the whole history. */
const LIST_SCAN_BUDGET = 5_000;

/** Filters of {@link RedisSagaStore.list}. @publicApi */
export interface SagaListQuery {
  name?: string;
  status?: SagaStatus;
  /** Sagas started by an event with this correlation key, or that waited for one with it. */
  key?: string;
  /** Sagas started with all of these tags. */
  tags?: Readonly<Record<string, string>>;
  /** Created at or after this time. */
  from?: Date;
  /** Created at or before this time. */
  to?: Date;
  limit: number;
  cursor?: string;
}

/** What a start records beside the input, each optional (see {@link RedisSagaStore.start}). */
export interface StartDetails {
  /** A key under which the saga is recorded for `ttlMs`, with a hash of its input. */
  idempotency?: { key: string; inputHash: string; ttlMs: number };
  /** The key of the event that started the saga, under which it can be found. */
  correlationKey?: string;
  /** For a child saga, the saga and step that started it. */
  parent?: SagaParent;
  /** Tags to find the saga by, each indexed. */
  tags?: Readonly<Record<string, string>>;
  /** For a rerun, the saga whose input it starts with. */
  rerunOf?: string;
  /** The key of a definition with a concurrency limit: the saga runs now, or is queued behind that many. */
  concurrencyKey?: string;
  /** The trace context its attempts' spans continue (`AttemptData.trace`). */
  trace?: TraceCarrier;
}

/** Options of {@link RedisSagaStore}. @publicApi */
export interface RedisSagaStoreOptions {
  /**
   * Write the lifecycle events of the sagas this store starts to the outbox stream (`<prefix>:lifecycle`), for
   * the broker sinks, `GET /sagas/:id/events` and the in-process Observable. Costs one XADD per event.
   * @defaultValue false
   */
  lifecycleEvents?: boolean;
  /**
   * How long an ended saga (completed or compensated) is kept, in ms, when its definition sets no retention of its
   * own; `null` keeps it for ever. Fixed for each saga when it starts.
   * @defaultValue 604800000 (7 days)
   */
  retentionMs?: number | null;
}

/**
 * The saga state in Redis. Every change of a saga is one Lua script over that saga's keys, fenced by its
 * cursor (see `lua/includes/checkCursor.lua`), so that a transition happens exactly once whatever the number
 * of deliveries of the job behind it.
 */
export class RedisSagaStore {
  readonly keys: SagaKeys;
  private readonly scripts: LuaScripts<ScriptFile>;
  private readonly batches: TransitionBatches;

  /** @param prefix - the key prefix of the one shard, or of each shard (see {@link SagaKeys}) */
  constructor(
    private readonly redis: Redis,
    prefix: string | readonly string[],
    private readonly options: RedisSagaStoreOptions = {},
  ) {
    this.keys = new SagaKeys(prefix);
    this.scripts = new LuaScripts(redis, LUA_DIR, SCRIPTS, 'sagaflow');
    this.batches = new TransitionBatches(this.scripts);
  }

  /**
   * Creates and indexes the saga in one MULTI: its own, or `transaction`, which may already hold other writes
   * (the saga's first job), so that all of them are applied together or not at all.
   * @throws SagaIdempotencyConflictError when the key belongs to a saga started with another input
   */
  async start(
    definition: SagaDefinition,
    sagaId: string,
    input: object,
    transaction: ChainableCommander = this.redis.multi(),
    { idempotency, correlationKey = '', parent, tags, rerunOf, concurrencyKey, trace }: StartDetails = {},
  ): Promise<StartOutcome> {
    const shard = this.keys.shardOf(sagaId);
    if (shard !== this.keys.startShard(definition.name, { idempotencyKey: idempotency?.key, concurrencyKey }, shard)) {
      throw new Error(
        `Saga ${sagaId} is not in the shard of its idempotency or concurrency key: see SagaClient.start.`,
      );
    }
    const limit = concurrencyKey === undefined ? undefined : definition.concurrency?.limit;
    this.scripts.queue(
      transaction,
      'start-saga-9.lua',
      [
        this.keys.state(sagaId),
        this.keys.history(sagaId),
        this.keys.index(shard),
        this.keys.nameIndex(shard, definition.name),
        this.keys.active(shard),
        // Without an idempotency key the script ignores this key; one of the saga's shard keeps it in one slot.
        idempotency ? this.keys.idempotency(definition.name, idempotency.key, shard) : this.keys.index(shard),
        this.keys.metrics(shard),
        this.keys.keyIndex(shard, correlationKey),
        this.keys.lifecycle(shard),
      ],
      [
        definition.name,
        definition.version,
        JSON.stringify(input),
        JSON.stringify(definition.steps.map((step) => step.name)),
        definition.steps.map(compensationFlag).join(''),
        sagaId,
        idempotency?.inputHash ?? '',
        idempotency?.ttlMs ?? 0,
        correlationKey,
        groupMarks(definition),
        parent?.id ?? '',
        parent?.step ?? '',
        this.options.lifecycleEvents ? '1' : '0',
        (definition.retentionMs === undefined
          ? (this.options.retentionMs ?? DEFAULT_RETENTION_MS)
          : definition.retentionMs) ?? '',
        idempotency?.key ?? '',
        tags && Object.keys(tags).length > 0 ? JSON.stringify(tags) : '',
        rerunOf ?? '',
        this.keys.prefixes[shard],
        limit === undefined ? '' : this.keys.concurrency(definition.name, concurrencyKey as string),
        limit ?? '',
        trace ? JSON.stringify(trace) : '',
      ],
    );
    const replies = await execAll(transaction);
    return startOutcome(replies[replies.length - 1] as ScriptReply, sagaId, idempotency?.key);
  }

  /**
   * The saga an idempotency key of a start belongs to, without starting anything.
   * @param shard - where its record is kept: see `SagaKeys.startShard`
   */
  async idempotencyOwner(
    sagaName: string,
    key: string,
    shard: number,
  ): Promise<{ id: string; hash: string } | undefined> {
    const owner = await guardRedis(() => this.redis.get(this.keys.idempotency(sagaName, key, shard)));
    return owner ? (JSON.parse(owner) as { id: string; hash: string }) : undefined;
  }

  /** Begins an attempt for the job `holder`. */
  async begin(ref: StepJobRef, attempt: number, stepName: string, holder: string): Promise<BeginResult> {
    return beginResult(await this.batched('begin', ref, attempt, stepName, holder));
  }

  /**
   * Records a successful attempt. With `holder`, the first attempt of the saga's next step (or compensation)
   * begins in the same script for that job, and the result carries its data as `next`.
   * @param nextStepName - the name of the step after this one, if any: going on to it then reads no step names
   * @param nextJob - without `holder`: the queue (BullMQ's qualified name, whose prefix is its shard's) from which
   *   the job that ends with this transition is taking its next job, and the name of the first step of the sagas
   *   it holds. When the job at the head of its wait list is the first step of a saga there, its first attempt
   *   begins in the same script, as `begin` would begin it, and the result carries it as `nextJob`; the job then
   *   starts without a round trip of its own. Not while the queue is paused, nor on a cluster, where those keys
   *   are in other slots.
   */
  async complete(
    ref: StepJobRef,
    attempt: number,
    stepName: string,
    output: unknown,
    holder = '',
    nextStepName = '',
    nextJob?: { queue: string; firstStep: string },
  ): Promise<Transition> {
    const ahead =
      nextJob && !this.redis.isCluster
        ? [nextJob.queue, this.keys.prefixes[this.keys.shardOf(ref.sagaId)], nextJob.firstStep]
        : [];
    const reply = await this.batched(
      'complete',
      ref,
      attempt,
      stepName,
      JSON.stringify(output ?? null),
      holder,
      nextStepName,
      ...ahead,
    );
    const transition = toTransition(reply);
    if (transition.outcome !== 'applied' || reply.length <= 5) return transition;
    if (holder) {
      transition.next = toAttemptData(reply.slice(5));
    } else {
      const [jobId, ...data] = reply[5] as unknown as string[];
      transition.nextJob = { jobId, data: toAttemptData(data) };
    }
    return transition;
  }

  /** Records a failed attempt; `final` in the result says whether it was taken as the last (a cancelled saga's is). */
  async fail(
    ref: StepJobRef,
    attempt: number,
    stepName: string,
    error: ErrorInfo,
    final: boolean,
  ): Promise<FailTransition> {
    const reply = await this.transition(
      'fail-step-6.lua',
      ref,
      attempt,
      stepName,
      JSON.stringify(error),
      final ? '1' : '0',
    );
    const transition = toTransition(reply);
    return transition.outcome === 'applied' ? { ...transition, final: reply[5] === '1' } : transition;
  }

  /** Skips a step whose attempt has begun because its condition does not hold, and moves the saga on. */
  async skip(ref: StepJobRef, stepName: string): Promise<Transition> {
    return toTransition(await this.transition('skip-step-6.lua', ref, stepName));
  }

  /**
   * Parks a saga whose wait (or sleep) step has begun, until an event, a signal or the timer job `holder` ends the
   * wait. A signal the saga has received already ends it at once: the result then has no `until`.
   */
  async park(
    ref: StepJobRef,
    stepName: string,
    wait: { event?: string; key?: string; signal?: string; timeoutMs: number },
    holder: string,
  ): Promise<ParkTransition> {
    const keys = [
      ...this.sagaKeys(ref.sagaId),
      this.keys.keyIndex(this.keys.shardOf(ref.sagaId), wait.key ?? ''),
      this.keys.signals(ref.sagaId),
    ];
    const { event = '', key = '', signal = '', timeoutMs } = wait;
    const args = [ref.phase, ref.index, ref.gen, stepName, event, key, timeoutMs, holder, signal];
    const reply = await this.scripts.run<ScriptReply>('park-wait-8.lua', keys, args);
    const transition = toTransition(reply);
    if (transition.outcome !== 'applied' || reply.length < 7) return transition;
    return { ...transition, until: Number(reply[5]), now: Number(reply[6]) };
  }

  /** Ends the wait of a saga waiting for this event's type and key, with the payload as the step's output. */
  async deliver(
    sagaId: string,
    event: { id: string; type: string; key: string; payload: unknown },
  ): Promise<Transition> {
    const keys = this.sagaKeys(sagaId);
    const args = [event.type, event.key, event.id, JSON.stringify(event.payload)];
    return toTransition(await this.scripts.run<ScriptReply>('deliver-event-6.lua', keys, args));
  }

  /**
   * Records a signal sent to a saga, and ends its wait if it waits for one of this name (see
   * `lua/send-signal-8.lua`). With `idempotency`, a repeat changes nothing and answers the first signal's seq.
   * @param payload - the validated payload, as JSON
   */
  async signal(
    sagaId: string,
    name: string,
    payload: string,
    idempotency?: { key: string; hash: string; ttlMs: number },
  ): Promise<SignalOutcome> {
    const keys = [
      ...this.sagaKeys(sagaId),
      this.keys.signals(sagaId),
      // Without a key the script ignores this one; the saga's own keeps it in the saga's slot.
      idempotency ? this.keys.signalIdempotency(sagaId, idempotency.key) : this.keys.signals(sagaId),
    ];
    const args = [name, payload, idempotency?.key ?? '', idempotency?.hash ?? '', idempotency?.ttlMs ?? 0];
    return signalOutcome(await this.scripts.run<ScriptReply>('send-signal-8.lua', keys, args));
  }

  /** The signals a saga has received, oldest first. */
  async signals(sagaId: string): Promise<SignalRecord[]> {
    const entries = await guardRedis(() => this.redis.lrange(this.keys.signals(sagaId), 0, -1));
    return entries.map(toSignalRecord);
  }

  /**
   * Fires a wait's timer: `sleep` ends a sleep; a wait for an event times out and `continue`s or `fail`s. `failed`
   * fails the wait before its time: what it waited for has failed.
   */
  async expire(
    ref: StepJobRef,
    stepName: string,
    outcome: 'sleep' | 'continue' | 'fail' | 'failed',
    error: ErrorInfo,
  ): Promise<Transition> {
    return toTransition(await this.transition('expire-wait-6.lua', ref, stepName, outcome, JSON.stringify(error)));
  }

  /** Cancels a queued, running or waiting saga (see `lua/cancel-saga-6.lua`). */
  async cancel(sagaId: string, reason: string): Promise<CancelOutcome> {
    const keys = this.sagaKeys(sagaId);
    return cancelOutcome(await this.scripts.run<ScriptReply>('cancel-saga-6.lua', keys, [reason]));
  }

  /** Compensates a completed saga as a whole (a parent undoing its child); `conflict` when it is not completed. */
  compensateCompleted(sagaId: string, note: string): Promise<OperatorOutcome> {
    return this.operatorAction('compensate-saga-6.lua', sagaId, note);
  }

  /** A child saga's parent and the child's own status; `undefined` for a saga that is not a child. */
  async childLink(sagaId: string): Promise<{ parent: SagaParent; status: SagaStatus } | undefined> {
    const [id, step, status] = await guardRedis(() =>
      this.redis.hmget(this.keys.state(sagaId), 'parent', 'parentStep', 'status'),
    );
    return id && step ? { parent: { id, step }, status: status as SagaStatus } : undefined;
  }

  /** The sagas that the end of `sagaId` admitted from its concurrency key's queue (see `lua/includes/concurrency.lua`). */
  async admittedBy(sagaId: string): Promise<string[]> {
    const admitted = await guardRedis(() => this.redis.hget(this.keys.state(sagaId), 'admitted'));
    return admitted ? admitted.split(' ') : [];
  }

  /** An operator's retry of a parked saga's failed compensation. */
  retryCompensation(sagaId: string, note: string): Promise<OperatorOutcome> {
    return this.operatorAction('retry-compensation-6.lua', sagaId, note);
  }

  /** An operator's resolution by hand of a parked saga. */
  resolve(sagaId: string, note: string): Promise<OperatorOutcome> {
    return this.operatorAction('resolve-saga-6.lua', sagaId, note);
  }

  /** A saga's name, version and cursor, or `undefined` when there is no such saga. */
  async head(sagaId: string): Promise<SagaHead | undefined> {
    const [name, version, status, phase, cursor, gen] = await guardRedis(() =>
      this.redis.hmget(this.keys.state(sagaId), 'name', 'version', 'status', 'phase', 'cursor', 'gen'),
    );
    if (!name) return undefined;
    return { name, version: Number(version), cursor: toCursor([1, status, phase, cursor, gen]) };
  }

  /** The steps from `first` to `last` (a parallel group) that have not settled yet. */
  async unsettledSteps(sagaId: string, [first, last]: [number, number]): Promise<number[]> {
    const indices = Array.from({ length: last - first + 1 }, (_, i) => first + i);
    const statuses = await guardRedis(() =>
      this.redis.hmget(this.keys.state(sagaId), ...indices.map((i) => `s${i}.status`)),
    );
    return indices.filter((_, i) => !SETTLED_STEP_STATUSES.has(statuses[i] as StepStatus));
  }

  /** Drops an entry of the active index whose saga is gone, finished or parked (the transitions drop their own). */
  async deactivate(sagaId: string): Promise<void> {
    await guardRedis(() => this.redis.zrem(this.keys.active(this.keys.shardOf(sagaId)), sagaId));
  }

  /** Takes (or renews) the lock of the sweeper, or of the reaper, for `ttlMs` if no other process holds it. */
  async acquireLock(lock: 'sweeper' | 'reaper', owner: string, ttlMs: number): Promise<boolean> {
    const key = lock === 'sweeper' ? this.keys.sweeperLock() : this.keys.reaperLock();
    if ((await guardRedis(() => this.redis.set(key, owner, 'PX', ttlMs, 'NX'))) === 'OK') return true;
    // The holder goes on; a pass that overlaps another (the lock expiring in between) is harmless.
    if ((await guardRedis(() => this.redis.get(key))) !== owner) return false;
    await guardRedis(() => this.redis.pexpire(key, ttlMs));
    return true;
  }

  /** Ended sagas of a shard whose retention is over, oldest first (at most `limit`). */
  async dueForRemoval(shard: number, now: number, limit: number): Promise<string[]> {
    return guardRedis(() => this.redis.zrangebyscore(this.keys.expiring(shard), '-inf', now, 'LIMIT', 0, limit));
  }

  /** The parent and the retention of sagas due for removal: a child waits for its parent to be removed first. */
  async removalHolds(sagaIds: readonly string[]): Promise<{ parent?: string; retentionMs: number }[]> {
    const pipeline = this.redis.pipeline();
    for (const sagaId of sagaIds) pipeline.hmget(this.keys.state(sagaId), 'parent', 'retentionMs');
    const replies = (await execAll(pipeline)) as [string | null, string | null][];
    return replies.map(([parent, retentionMs]) => ({ ...(parent && { parent }), retentionMs: Number(retentionMs) }));
  }

  /** Whether a saga is still kept. */
  async exists(sagaId: string): Promise<boolean> {
    return (await guardRedis(() => this.redis.exists(this.keys.state(sagaId)))) === 1;
  }

  /** Moves a saga's removal `delayMs` past now (Redis time). */
  async postponeRemoval(sagaId: string, now: number, delayMs: number): Promise<void> {
    await guardRedis(() => this.redis.zadd(this.keys.expiring(this.keys.shardOf(sagaId)), 'XX', now + delayMs, sagaId));
  }

  /**
   * Removes an ended saga whose retention is over: its state, history and signals, its entries in the indexes, and the
   * record of its start's idempotency key (see `lua/remove-saga-5.lua`). A saga that is not due, or no longer
   * ended, is left as it is.
   */
  async remove(sagaId: string): Promise<RemoveOutcome> {
    const shard = this.keys.shardOf(sagaId);
    const reply = await this.scripts.run<ScriptReply>(
      'remove-saga-6.lua',
      [
        this.keys.state(sagaId),
        this.keys.history(sagaId),
        this.keys.index(shard),
        this.keys.expiring(shard),
        this.keys.metrics(shard),
        this.keys.signals(sagaId),
      ],
      [this.keys.prefixes[shard]],
    );
    return removeOutcome(reply);
  }

  /** Redis' clock in ms, the one the transition scripts stamp `updatedAt` with. */
  async now(): Promise<number> {
    const [seconds, micros] = await guardRedis(() => this.redis.time());
    return Number(seconds) * 1_000 + Math.floor(Number(micros) / 1_000);
  }

  /**
   * One page of a shard's active index, oldest first, with each saga's cursor; `stale` lists entries whose saga
   * is gone, finished or parked. Pages are by rank, so an entry removed meanwhile may shift one into the next sweep.
   */
  async activeSagas(shard: number, offset: number, limit: number): Promise<{ stale: string[]; active: ActiveSaga[] }> {
    const ids = await guardRedis(() =>
      this.redis.zrange(this.keys.active(shard), String(offset), String(offset + limit - 1)),
    );
    const pipeline = this.redis.pipeline();
    for (const id of ids) {
      pipeline.hmget(
        this.keys.state(id),
        'name',
        'version',
        'status',
        'phase',
        'cursor',
        'gen',
        'updatedAt',
        'holder',
        'waitUntil',
      );
    }
    const rows = (await execAll(pipeline)) as (string | null)[][];
    const stale: string[] = [];
    const active: ActiveSaga[] = [];
    for (const [i, sagaId] of ids.entries()) {
      const [name, version, status, phase, cursor, gen, updatedAt, holder, waitUntil] = rows[i];
      if (!name || (phase !== 'run' && phase !== 'compensate')) {
        stale.push(sagaId);
        continue;
      }
      active.push({
        sagaId,
        name,
        version: Number(version),
        cursor: toCursor([1, status, phase, cursor, gen]),
        updatedAt: Number(updatedAt),
        ...(holder && { holder }),
        ...(status === 'waiting' && { waitUntil: Number(waitUntil) }),
      });
    }
    return { stale, active };
  }

  async get(sagaId: string): Promise<SagaRecord | undefined> {
    const [state, history, signals] = await guardRedis(() =>
      Promise.all([
        this.redis.hgetall(this.keys.state(sagaId)),
        this.redis.lrange(this.keys.history(sagaId), 0, -1),
        this.redis.lrange(this.keys.signals(sagaId), 0, -1),
      ]),
    );
    if (!state.name) return undefined;
    const stepNames = JSON.parse(state.steps) as string[];
    const steps = stepNames.map((name, index) => toStepRecord(name, index, state));
    const current = state.status === 'waiting' ? steps[Number(state.cursor)] : undefined;
    const cancel = state.cancel ? (JSON.parse(state.cancel) as { reason: string; at: number }) : undefined;
    return {
      ...toSummary(sagaId, state),
      input: JSON.parse(state.input),
      ...(state.error && { error: JSON.parse(state.error) as SagaRecord['error'] }),
      ...(current?.wait && { waitingFor: { step: current.name, ...current.wait } }),
      ...(cancel && {
        cancellation: {
          ...(cancel.reason && { reason: cancel.reason }),
          requestedAt: isoTime(String(cancel.at)) as string,
        },
      }),
      ...(state.parent && { parent: { id: state.parent, step: state.parentStep } }),
      ...(state.tags && { tags: JSON.parse(state.tags) as Record<string, string> }),
      ...(state.rerunOf && { rerunOf: state.rerunOf }),
      ...(state.concurrency && { concurrency: this.concurrencyOf(sagaId, state) }),
      ...(signals.length > 0 && { signals: signals.map(toSignalRecord) }),
      steps,
      history: history.map(toHistoryEntry),
    };
  }

  /** A saga's concurrency key, from the name of its key's sets (see `SagaKeys.concurrency`), and its slot. */
  private concurrencyOf(sagaId: string, state: Record<string, string>): NonNullable<SagaRecord['concurrency']> {
    const setsPrefix = `${this.keys.prefixes[this.keys.shardOf(sagaId)]}:concurrency:${state.name}:`;
    const admittedAt = state.status === 'queued' ? undefined : isoTime(state.admittedAt ?? state.createdAt);
    return {
      key: state.concurrency.slice(setsPrefix.length),
      limit: Number(state.concurrencyLimit),
      ...(admittedAt && { admittedAt }),
    };
  }

  /**
   * Newest first. Filters by key or name through their indexes, by time through the ids (they begin with their
   * creation time), and by status (and by name, when a key is given too) by reading each candidate. Over several
   * shards, each shard's newest matches are merged: the page is the newest of all of them.
   */
  async list(query: SagaListQuery): Promise<SagaPage> {
    const pages = await Promise.all(this.keys.shards().map((shard) => this.listShard(shard, query)));
    if (pages.length === 1) return pages[0];
    // Each shard has looked at every id down to where it stopped (a full page, or its scan budget): only ids down
    // to the newest of those stops are known across all shards, so the page ends there and the next one goes on.
    const stops = pages.flatMap((page) => (page.nextCursor === undefined ? [] : [page.nextCursor]));
    const cutoff = stops.sort().at(-1);
    const items = pages
      .flatMap((page) => page.items)
      .filter((item) => cutoff === undefined || item.id >= cutoff)
      .sort((a, b) => (a.id < b.id ? 1 : -1))
      .slice(0, query.limit);
    if (items.length === query.limit) return { items, nextCursor: items[items.length - 1].id };
    return cutoff === undefined ? { items } : { items, nextCursor: cutoff };
  }

  private async listShard(shard: number, query: SagaListQuery): Promise<SagaPage> {
    const tags = Object.entries(query.tags ?? {});
    const indexKey = query.key
      ? this.keys.keyIndex(shard, query.key)
      : tags.length > 0
        ? this.keys.tagIndex(shard, ...tags[0])
        : query.name
          ? this.keys.nameIndex(shard, query.name)
          : this.keys.index(shard);
    // The index gives one condition; any other is checked on each candidate's state.
    const conditions = [query.key, query.name].filter((value) => value !== undefined).length + tags.length;
    const filtered = query.status !== undefined || conditions > 1;
    const items: SagaSummary[] = [];
    // Lexical bounds: an id created at t sorts after sagaIdTimePrefix(t) and before sagaIdTimePrefix(t + 1).
    let from = query.cursor ? `(${query.cursor}` : query.to ? `(${sagaIdTimePrefix(query.to.getTime() + 1)}` : '+';
    const until = query.from ? `[${sagaIdTimePrefix(query.from.getTime())}` : '-';
    for (let scanned = 0; scanned < LIST_SCAN_BUDGET;) {
      const batchSize = filtered ? LIST_BATCH : query.limit - items.length;
      const ids = await guardRedis(() =>
        this.redis.zrange(indexKey, from, until, 'BYLEX', 'REV', 'LIMIT', 0, batchSize),
      );
      if (ids.length === 0) return { items };
      const pipeline = this.redis.pipeline();
      for (const id of ids) pipeline.hmget(this.keys.state(id), ...SUMMARY_FIELDS, 'tags');
      const rows = await execAll(pipeline);
      for (const [index, id] of ids.entries()) {
        const [name, version, status, createdAt, updatedAt, finishedAt, tagsJson] = rows[index] as (string | null)[];
        if (!name || (query.status && status !== query.status) || (query.name && name !== query.name)) continue;
        if (tags.length > 0 && !hasTags(tagsJson, tags)) continue;
        items.push(toSummary(id, { name, version, status, createdAt, updatedAt, finishedAt }));
        if (items.length === query.limit) return { items, nextCursor: id };
      }
      scanned += ids.length;
      from = `(${ids[ids.length - 1]}`;
    }
    return { items, nextCursor: from.slice(1) };
  }

  /**
   * The keys every transition script takes: the saga's state and history, the active index, the metrics, the
   * lifecycle outbox.
   */
  private sagaKeys(sagaId: string): string[] {
    const shard = this.keys.shardOf(sagaId);
    return [
      this.keys.state(sagaId),
      this.keys.history(sagaId),
      this.keys.active(shard),
      this.keys.metrics(shard),
      this.keys.lifecycle(shard),
      this.keys.expiring(shard),
    ];
  }

  /** The counters the transitions keep, for the whole deployment: each shard's, added up. */
  async metrics(): Promise<SagaMetrics> {
    const hashes = await guardRedis(() =>
      Promise.all(this.keys.shards().map((shard) => this.redis.hgetall(this.keys.metrics(shard)))),
    );
    const total: Record<string, string> = {};
    for (const hash of hashes) {
      for (const [field, value] of Object.entries(hash))
        total[field] = String(Number(total[field] ?? 0) + Number(value));
    }
    return parseMetrics(total);
  }

  /** How many sagas are in each status now, of one name or of all. */
  async counts(name?: string): Promise<Record<SagaStatus, number>> {
    const counts = Object.fromEntries(SAGA_STATUSES.map((status) => [status, 0])) as Record<SagaStatus, number>;
    for (const { saga, status, count } of (await this.metrics()).current) {
      if (name === undefined || saga === name) counts[status] += count;
    }
    return counts;
  }

  private async transition(file: ScriptFile, ref: StepJobRef, ...args: (string | number)[]): Promise<ScriptReply> {
    return this.scripts.run<ScriptReply>(file, this.sagaKeys(ref.sagaId), [ref.phase, ref.index, ref.gen, ...args]);
  }

  /** A transition sent together with the others of its shard asked for in the same tick. */
  private batched(kind: BatchedTransition, ref: StepJobRef, ...args: (string | number)[]): Promise<ScriptReply> {
    return this.batches.run<ScriptReply>(kind, this.sagaKeys(ref.sagaId), [ref.phase, ref.index, ref.gen, ...args]);
  }

  /** Resolves once the begin and complete transitions asked for so far have been handed to the connection. */
  transitionsSent(): Promise<void> {
    return this.batches.whenSent();
  }

  private async operatorAction(file: ScriptFile, sagaId: string, note: string): Promise<OperatorOutcome> {
    const keys = this.sagaKeys(sagaId);
    return operatorOutcome(await this.scripts.run<ScriptReply>(file, keys, [note]));
  }
}

/**
 * Per step, when it is compensated: '0' never, '1' after it succeeded, '2' also after it failed for good, 'n'
 * never, having nothing to undo (a wait or a sleep, which a cancellation may pass).
 */
function compensationFlag(step: StepDefinition): string {
  if (step.child) return '2';
  if (step.wait) return 'n';
  if (!step.compensable) return '0';
  return step.compensateOnFailure ? '2' : '1';
}

/** Per step, its place in a parallel group: '.' none, '[' first, '+' another; '' for a saga without groups. */
function groupMarks({ steps }: SagaDefinition): string {
  if (!steps.some((step) => step.group)) return '';
  return steps
    .map((step, i) => (step.group === undefined ? '.' : step.group === steps[i - 1]?.group ? '+' : '['))
    .join('');
}

function hasTags(tagsJson: string | null, wanted: [string, string][]): boolean {
  const tags = tagsJson ? (JSON.parse(tagsJson) as Record<string, string>) : {};
  return wanted.every(([name, value]) => tags[name] === value);
}

function isoTime(ms: string | null | undefined): string | undefined {
  return ms ? new Date(Number(ms)).toISOString() : undefined;
}

function toSummary(id: string, state: Record<string, string | null | undefined>): SagaSummary {
  const finishedAt = isoTime(state.finishedAt);
  return {
    id,
    name: state.name as string,
    version: Number(state.version),
    status: state.status as SagaStatus,
    createdAt: isoTime(state.createdAt) as string,
    updatedAt: isoTime(state.updatedAt) as string,
    ...(finishedAt && { finishedAt }),
  };
}

function toStepRecord(name: string, index: number, state: Record<string, string>): StepRecord {
  const field = (suffix: string): string | undefined => state[`s${index}.${suffix}`];
  const compensationAttempts = Number(field('compensationAttempts') ?? 0);
  const output = field('output');
  const error = field('error');
  const compensationError = field('compensationError');
  const until = isoTime(field('until'));
  const [event, key, eventId] = [field('waitEvent'), field('waitKey'), field('event')];
  const [signal, seq] = [field('waitSignal'), field('signal')];
  return {
    name,
    status: field('status') as StepStatus,
    attempts: Number(field('attempts') ?? 0),
    ...(field('startedAt') && { startedAt: isoTime(field('startedAt')) }),
    ...(field('finishedAt') && { finishedAt: isoTime(field('finishedAt')) }),
    ...(output !== undefined && { output: JSON.parse(output) }),
    ...(error && { error: JSON.parse(error) as ErrorInfo }),
    ...(until && {
      wait: {
        ...(event && { event }),
        ...(key && { key }),
        ...(signal && { signal }),
        until,
        ...(eventId && { eventId }),
        ...(seq && { seq: Number(seq) }),
      },
    }),
    ...(compensationAttempts > 0 && {
      compensation: {
        attempts: compensationAttempts,
        startedAt: isoTime(field('compensationStartedAt')),
        ...(field('compensationFinishedAt') && { finishedAt: isoTime(field('compensationFinishedAt')) }),
        ...(compensationError && { error: JSON.parse(compensationError) as ErrorInfo }),
      },
    }),
  };
}

/** Reads a signal as `lua/send-signal-8.lua` writes it. */
function toSignalRecord(entry: string): SignalRecord {
  const { seq, name, at, payload } = JSON.parse(entry) as { seq: number; name: string; at: number; payload: unknown };
  return { seq, name, at: new Date(at).toISOString(), payload };
}

/** Reads a history line as `lua/includes/appendHistory.lua` writes it. */
function toHistoryEntry(line: string): HistoryEntry {
  const [at, type, step, attempt, extra = {}] = JSON.parse(line) as [
    number,
    HistoryEntry['type'],
    string,
    number,
    Omit<HistoryEntry, 'at' | 'type' | 'step' | 'attempt' | 'until'> & { until?: number },
  ];
  const { until, ...rest } = extra;
  return {
    at: new Date(at).toISOString(),
    type,
    ...(step && { step }),
    ...(attempt > 0 && { attempt }),
    ...rest,
    ...(until !== undefined && { until: new Date(until).toISOString() }),
  };
}
