import { EVENT_KEY_PATTERN, IDEMPOTENCY_KEY_PATTERN, MAX_TAGS, TAG_NAME_PATTERN } from '../definition/patterns';
import {
  signalOf,
  queryOf,
  type QueryDefinition,
  type SagaDefinition,
  type SignalDefinition,
} from '../definition/saga-definition';
import { QueryInvalidError } from '../errors/query-invalid.error';
import { SagaAlreadyExistsError } from '../errors/saga-already-exists.error';
import { SagaDefinitionNotFoundError } from '../errors/saga-definition-not-found.error';
import { SagaIdempotencyConflictError } from '../errors/saga-idempotency-conflict.error';
import { SagaInputInvalidError } from '../errors/saga-input-invalid.error';
import { SagaNotFoundError } from '../errors/saga-not-found.error';
import { SagaPastPivotError } from '../errors/saga-past-pivot.error';
import { SagaStateConflictError } from '../errors/saga-state-conflict.error';
import { SignalInvalidError } from '../errors/signal-invalid.error';
import type { EventInbox } from '../events/event-inbox';
import { EventRouter } from '../events/event-router';
import type { PublishEvent, PublishResult } from '../events/saga-event';
import type { OperatorOutcome, SagaCursor, SagaHead, TraceCarrier } from '../store/transition';
import type { RedisSagaStore, SagaListQuery, StartDetails } from '../store/redis-saga-store';
import type { SagaMetrics } from '../store/saga-metrics';
import type { SagaPage, SagaParent, SagaRecord, SagaStatus, SagaSummary } from '../store/saga-record';
import { guardRedis } from '../redis/guard-redis';
import { hashOf } from './canonical-json';
import { ConcurrencyAdmissions } from './concurrency-admissions';
import { signalsView } from './signals-view';
import { validateObject, validateSagaInput } from '../definition/input-validator';
import { newSagaId, SAGA_ID_PATTERN } from '../store/saga-id';
import { SagaTracing } from './saga-tracing';

import type { SagaQueues } from '../queues/saga-queues';
import type { SagaRegistry } from '../definition/saga-registry';
import type { StepDispatcher } from '../queues/step-dispatcher';

/** The statuses a saga no longer moves from by itself: what a rerun starts again from. */
const ENDED_STATUSES: readonly SagaStatus[] = ['completed', 'compensated', 'compensation_failed'];

/** What starting a saga answers. @publicApi */
export interface StartedSaga {
  id: string;
  name: string;
  status: SagaStatus;
}

/** What {@link SagaClient.start} answers: `created` is false when an idempotency key found an earlier saga. @publicApi */
export interface StartResult extends StartedSaga {
  created: boolean;
}

/** Options of {@link SagaClient.start}. @publicApi */
export interface StartOptions {
  /**
   * Makes the start idempotent: the same key with the same input returns the saga it started first; with
   * another input it throws {@link SagaIdempotencyConflictError}. Kept for the client's `idempotencyTtlMs`.
   */
  idempotencyKey?: string;
  /** A correlation key (an order id) to find the saga by: `list({ key })`. */
  correlationKey?: string;
  /**
   * Tags to find the saga by, such as `{ customerId: 'c-1' }`: `list({ tags })`. At most 16; names as
   * {@link TAG_NAME_PATTERN}, values as correlation keys. A rerun carries them over.
   */
  tags?: Readonly<Record<string, string>>;
  /**
   * The trace context of what asks for the start, such as an HTTP request's headers (`traceparent`,
   * `tracestate`): with an OpenTelemetry SDK registered, the saga's trace continues it; without this, the active
   * context's (a new trace when there is none). Ignored without an SDK.
   */
  traceContext?: TraceCarrier;
}

/** What {@link SagaClient.signal} answers: the saga, the signal's name and its seq among the saga's signals. @publicApi */
export interface SignalResult {
  sagaId: string;
  signal: string;
  seq: number;
}

/** Options of {@link SagaClient.signal}. @publicApi */
export interface SignalOptions {
  /**
   * Makes the signal idempotent: the same key with the same signal and payload changes nothing and answers the first
   * result; with another one it throws {@link SagaIdempotencyConflictError}. Kept for the client's
   * `idempotencyTtlMs`, per saga.
   */
  idempotencyKey?: string;
}

/** Options of {@link SagaClient}. @publicApi */
export interface SagaClientOptions {
  /**
   * How long an idempotency key of a start, or of a signal, is kept.
   * @defaultValue 86400000 (24 h)
   */
  idempotencyTtlMs?: number;
}

const DEFAULT_IDEMPOTENCY_TTL_MS = 86_400_000;

/**
 * Starts and reads sagas: what an API or any producer process uses. It needs no worker in the same process.
 * The store and the queues must share one connection: a saga and its first job are written in one MULTI.
 * @publicApi
 */
export class SagaClient {
  private readonly events: EventRouter;
  private readonly idempotencyTtlMs: number;
  private readonly tracing = SagaTracing.ifRegistered();

  constructor(
    private readonly registry: SagaRegistry,
    private readonly store: RedisSagaStore,
    private readonly dispatcher: StepDispatcher,
    private readonly inbox: EventInbox,
    private readonly queues: SagaQueues,
    options: SagaClientOptions = {},
  ) {
    this.idempotencyTtlMs = options.idempotencyTtlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS;
    this.events = new EventRouter(registry, inbox, (name, input, startOptions) =>
      this.start(name, input, startOptions),
    );
    new ConcurrencyAdmissions(registry, store, dispatcher);
  }

  /**
   * Validates the input and starts the newest registered version of the saga.
   * @throws SagaDefinitionNotFoundError when no saga of that name is registered
   * @throws SagaInputInvalidError when the input (or the idempotency key) is invalid; nothing was written
   * @throws SagaIdempotencyConflictError when the idempotency key was used with another input
   * @throws StoreUnavailableError when Redis cannot be reached
   */
  async start(sagaName: string, input: unknown, options: StartOptions = {}): Promise<StartResult> {
    return this.startWith(sagaName, input, options);
  }

  /**
   * Starts a new saga of the same name (its newest version) with the input and tags of an ended one, linked to it
   * (`rerunOf` in its record). With an idempotency key, a repeat answers the saga the first rerun started.
   * @throws SagaNotFoundError
   * @throws SagaStateConflictError when the saga has not ended (completed, compensated or compensation_failed)
   */
  async rerun(
    sagaId: string,
    options: Pick<StartOptions, 'idempotencyKey' | 'traceContext'> = {},
  ): Promise<StartResult> {
    const saga = await this.get(sagaId);
    if (!ENDED_STATUSES.includes(saga.status)) {
      throw new SagaStateConflictError(
        sagaId,
        saga.status,
        'rerun',
        'a completed, compensated or compensation_failed saga',
      );
    }
    return this.startWith(saga.name, saga.input, { ...options, ...(saga.tags && { tags: saga.tags }) }, sagaId);
  }

  private async startWith(
    sagaName: string,
    input: unknown,
    { idempotencyKey: key, correlationKey, tags, traceContext }: StartOptions,
    rerunOf?: string,
  ): Promise<StartResult> {
    const definition = this.registry.latest(sagaName);
    const validInput = await validateSagaInput(definition, input);
    checkKey(sagaName, 'correlationKey', correlationKey, EVENT_KEY_PATTERN);
    checkKey(sagaName, 'idempotencyKey', key, IDEMPOTENCY_KEY_PATTERN);
    checkTags(sagaName, tags);
    const concurrencyKey = concurrencyKeyOf(definition, validInput);
    const details = { correlationKey, tags, rerunOf, concurrencyKey };
    if (key === undefined) return this.create(sagaName, validInput, details, { traceContext });
    const inputHash = hashOf(validInput);
    // Most repeats find the key here; the start script checks it again, atomically, for concurrent ones.
    const shard = this.store.keys.startShard(sagaName, { idempotencyKey: key, concurrencyKey }, 0);
    const owner = await this.store.idempotencyOwner(sagaName, key, shard);
    if (owner) {
      if (owner.hash !== inputHash) throw new SagaIdempotencyConflictError(key, owner.id);
      return this.existing(owner.id);
    }
    return this.create(
      sagaName,
      validInput,
      { ...details, idempotency: { key, inputHash, ttlMs: this.idempotencyTtlMs } },
      { traceContext },
    );
  }

  /**
   * Starts a child saga under a given id (see {@link ChildSagas}): the newest version of `sagaName`, linked to its
   * parent. Starting an id that exists already changes nothing, so a parent's step may start its child again.
   * @param traceContext - the parent's, so that the child's trace is the parent's
   * @throws SagaInputInvalidError when the input is invalid; nothing was written
   */
  async startChild(
    sagaName: string,
    input: unknown,
    id: string,
    parent: SagaParent,
    traceContext?: TraceCarrier,
  ): Promise<void> {
    const definition = this.registry.latest(sagaName);
    const validInput = await validateSagaInput(definition, input);
    const concurrencyKey = concurrencyKeyOf(definition, validInput);
    const { keys } = this.store;
    // A child's id is derived from its parent's, so it cannot be drawn in its key's shard.
    if (concurrencyKey !== undefined && keys.shardOf(id) !== keys.concurrencyShard(sagaName, concurrencyKey)) {
      throw new SagaInputInvalidError(sagaName, [
        { field: 'concurrency', messages: ['a child saga with a concurrency key needs a deployment of one shard'] },
      ]);
    }
    const details = { parent, concurrencyKey };
    await this.create(sagaName, validInput, details, { childId: id, traceContext }).catch((error: unknown) => {
      if (!(error instanceof SagaAlreadyExistsError)) throw error;
    });
  }

  /**
   * Publishes an event: starts the sagas it triggers and ends the waits of sagas waiting for its type and key.
   * Publishing the same event id again does nothing more and answers the first result.
   * @throws EventInvalidError when the event is malformed; nothing was recorded
   */
  publish(event: PublishEvent, options: Pick<StartOptions, 'traceContext'> = {}): Promise<PublishResult> {
    return this.events.publish(event, options.traceContext);
  }

  /**
   * Cancels a queued, running or waiting saga: it stops advancing and its succeeded steps are compensated, newest
   * first (a queued one has none, and leaves its concurrency key's queue).
   * A step attempt in flight finishes first, and is compensated too.
   * @throws SagaNotFoundError
   * @throws SagaStateConflictError when the saga is finished or already compensating
   * @throws SagaPastPivotError when a step without compensation has run or is running; the error names it
   */
  async cancel(sagaId: string, reason = ''): Promise<StartedSaga> {
    const outcome = SAGA_ID_PATTERN.test(sagaId)
      ? await this.store.cancel(sagaId, reason)
      : { outcome: 'missing' as const };
    if (outcome.outcome === 'missing') throw new SagaNotFoundError(sagaId);
    if (outcome.outcome === 'conflict') {
      throw new SagaStateConflictError(sagaId, outcome.status, 'cancelled', 'a queued, running or waiting saga');
    }
    if (outcome.outcome === 'past-pivot') throw new SagaPastPivotError(sagaId, outcome.step);
    const saga = await this.head(sagaId);
    const { stoppedWait, cursor } = outcome;
    if (stoppedWait?.event && stoppedWait.key)
      await this.inbox.removeWaiter(stoppedWait.event, stoppedWait.key, sagaId);
    // Without the saga's version here, its next job is left to the sweeper of a process that has it.
    const definition = this.registry.find(saga.name, saga.version);
    if (!definition) return { id: sagaId, name: saga.name, status: cursor.status };
    if (stoppedWait) {
      await this.dispatcher.removeTimer(definition, {
        sagaId,
        phase: 'run',
        index: stoppedWait.index,
        gen: cursor.gen,
      });
    }
    // A step in flight is left to the job that runs it, which turns to compensation when it ends.
    if (cursor.status !== 'running') await this.dispatcher.follow(definition, sagaId, { outcome: 'applied', cursor });
    return { id: sagaId, name: saga.name, status: cursor.status };
  }

  /**
   * Sends a signal to a saga: validated against the payload class its definition declares for the name, then kept
   * with the saga (steps read it in `ctx.signals`), and ending its wait if it waits for a signal of this name.
   * @param signal - a signal of the saga's definition (`saga.signals.approval`, for a typed payload), or its name
   * @throws SagaNotFoundError
   * @throws SignalInvalidError when the definition declares no such signal, or the payload or the idempotency key
   * is invalid; nothing was written
   * @throws SagaStateConflictError when the saga no longer goes forward: compensating, compensation_failed or ended
   * @throws SagaIdempotencyConflictError when the idempotency key sent another signal or payload to the saga
   */
  async signal<P extends object>(
    sagaId: string,
    signal: SignalDefinition<P> | string,
    payload: P | unknown,
    { idempotencyKey: key }: SignalOptions = {},
  ): Promise<SignalResult> {
    const name = typeof signal === 'string' ? signal : signal.name;
    const definition = await this.definitionOf(sagaId);
    const declared = signalOf(definition, name);
    if (!declared) {
      throw new SignalInvalidError(sagaId, name, [
        { field: 'name', messages: [`saga "${definition.name}" declares no signal "${name}"`] },
      ]);
    }
    if (key !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(key)) {
      throw new SignalInvalidError(sagaId, name, [
        { field: 'idempotencyKey', messages: [`idempotencyKey must match ${IDEMPOTENCY_KEY_PATTERN}`] },
      ]);
    }
    const checked = await validateObject(declared.payload, payload);
    if (!checked.valid) throw new SignalInvalidError(sagaId, name, checked.errors);
    const idempotency =
      key === undefined
        ? undefined
        : { key, hash: hashOf({ name, payload: checked.value }), ttlMs: this.idempotencyTtlMs };
    const outcome = await this.store.signal(sagaId, name, JSON.stringify(checked.value), idempotency);
    switch (outcome.outcome) {
      case 'missing':
        throw new SagaNotFoundError(sagaId);
      case 'conflict':
        throw new SagaStateConflictError(
          sagaId,
          outcome.status,
          'signalled',
          'a saga that is not compensating or ended',
        );
      case 'key-conflict':
        throw new SagaIdempotencyConflictError(key as string, sagaId);
      case 'applied':
        if (outcome.endedWait !== undefined) {
          const ref = { sagaId, phase: 'run' as const, index: outcome.endedWait, gen: outcome.cursor.gen };
          await this.dispatcher.follow(definition, sagaId, { outcome: 'applied', cursor: outcome.cursor });
          await this.dispatcher.removeTimer(definition, ref);
        }
    }
    return { sagaId, signal: name, seq: outcome.seq };
  }

  /**
   * Answers a query of a saga: its definition's function of the saga as it stands (status, input, outputs,
   * signals), run here, on the saga's record.
   * @param query - a query of the saga's definition (`saga.queries.progress`, for a typed result), or its name
   * @throws SagaNotFoundError
   * @throws QueryInvalidError when the definition declares no such query
   */
  async query<R>(sagaId: string, query: QueryDefinition<R>): Promise<R>;
  async query(sagaId: string, query: string): Promise<unknown>;
  async query(sagaId: string, query: QueryDefinition | string): Promise<unknown> {
    const name = typeof query === 'string' ? query : query.name;
    const saga = SAGA_ID_PATTERN.test(sagaId) ? await this.store.get(sagaId) : undefined;
    if (!saga) throw new SagaNotFoundError(sagaId);
    const definition = this.versionOf(saga);
    const declared = queryOf(definition, name);
    if (!declared) {
      throw new QueryInvalidError(sagaId, name, [
        { field: 'name', messages: [`saga "${definition.name}" declares no query "${name}"`] },
      ]);
    }
    const outputs = Object.fromEntries(
      saga.steps.filter((step) => step.output !== undefined).map((step) => [step.name, step.output]),
    );
    const signals = signalsView(definition, saga.signals ?? []);
    return declared.resolve({ id: saga.id, status: saga.status, input: saga.input, outputs, signals } as never);
  }

  /** The definition (of its version) a saga runs on. */
  private async definitionOf(sagaId: string): Promise<SagaDefinition> {
    const saga = SAGA_ID_PATTERN.test(sagaId) ? await this.store.head(sagaId) : undefined;
    if (!saga) throw new SagaNotFoundError(sagaId);
    return this.versionOf(saga);
  }

  /** @throws SagaDefinitionNotFoundError when this process does not register the saga's version */
  private versionOf({ name, version }: { name: string; version: number }): SagaDefinition {
    const definition = this.registry.find(name, version);
    if (!definition) throw new SagaDefinitionNotFoundError(name, version);
    return definition;
  }

  /**
   * Creates a saga and its first job in one MULTI: accepted whole, or not at all. Traced, its trace context is
   * stored with it in the same MULTI. A saga with a concurrency key gets its first job only once the start has found
   * it a slot: right after the MULTI (the sweeper adds it if the process dies in between), or when a saga of its key
   * ends (see {@link ConcurrencyAdmissions}).
   * @param childId - the id of a child saga, given by its parent
   * @param traceContext - what the saga's trace continues
   */
  private async create(
    sagaName: string,
    input: object,
    details: StartDetails,
    { childId, traceContext }: { childId?: string; traceContext?: TraceCarrier } = {},
  ): Promise<StartResult> {
    const definition = this.registry.latest(sagaName);
    const id = childId ?? this.newId(sagaName, details);
    if (!this.tracing) return this.createSaga(definition, id, input, details);
    return this.tracing.start(definition, id, traceContext, (trace) =>
      this.createSaga(definition, id, input, { ...details, trace }),
    );
  }

  private async createSaga(
    definition: SagaDefinition,
    id: string,
    input: object,
    details: StartDetails,
  ): Promise<StartResult> {
    const first: SagaCursor = { status: 'running', phase: 'run', index: 0, gen: 0 };
    const transaction = await this.dispatcher.transaction(definition, id);
    const firstJobsAdded =
      details.concurrencyKey === undefined && this.dispatcher.addToTransaction(transaction, definition, id, first);
    const outcome = await this.store.start(definition, id, input, transaction, details);
    // A concurrent start with the same key won; the job added for this id finds no saga and does nothing.
    if (outcome.outcome === 'existing') return this.existing(outcome.sagaId);
    if (!firstJobsAdded && outcome.status === 'running') await this.dispatcher.dispatch(definition, id, first);
    return { id, name: definition.name, status: outcome.status, created: true };
  }

  /**
   * A new saga id; with an idempotency or concurrency key, one in the key's shard (see `SagaKeys.startShard`),
   * drawn again until it is: about one draw per shard.
   */
  private newId(sagaName: string, { idempotency, concurrencyKey }: StartDetails): string {
    const { keys } = this.store;
    if (idempotency === undefined && concurrencyKey === undefined) return newSagaId();
    const shard = keys.startShard(sagaName, { idempotencyKey: idempotency?.key, concurrencyKey }, 0);
    for (;;) {
      const id = newSagaId();
      if (keys.shardOf(id) === shard) return id;
    }
  }

  private async existing(sagaId: string): Promise<StartResult> {
    const saga = await this.head(sagaId);
    return { id: sagaId, name: saga.name, status: saga.cursor.status, created: false };
  }

  /** A saga's name, version and cursor: what an action needs after its transition, without the history. */
  private async head(sagaId: string): Promise<SagaHead> {
    const saga = await this.store.head(sagaId);
    if (!saga) throw new SagaNotFoundError(sagaId);
    return saga;
  }

  /** @throws SagaNotFoundError */
  async get(sagaId: string): Promise<SagaRecord> {
    const saga = SAGA_ID_PATTERN.test(sagaId) ? await this.store.get(sagaId) : undefined;
    if (!saga) throw new SagaNotFoundError(sagaId);
    const marked = this.withAttention(saga);
    if (marked.attention) return marked;
    const reason = await this.unservedPool(saga);
    return reason ? { ...marked, attention: { reason } } : marked;
  }

  /** Why a saga does not move: its current step runs in a named pool that no worker process serves now. */
  private async unservedPool(saga: SagaRecord): Promise<string | undefined> {
    if (saga.status !== 'running' && saga.status !== 'compensating') return undefined;
    const definition = this.registry.find(saga.name, saga.version);
    if (!definition?.steps.some((step) => step.pool)) return undefined;
    const { cursor } = await this.head(saga.id);
    const step = cursor.index === undefined ? undefined : definition.steps[cursor.index];
    const queue = step?.pool ? this.queues.pool(step.pool) : undefined;
    if (!step || !queue || (await guardRedis(() => queue.getWorkersCount())) > 0) {
      return undefined;
    }
    return `Step "${step.name}" runs in pool "${step.pool}", which no worker process serves: the saga waits for one.`;
  }

  /** Marks an unfinished saga whose definition version this process lacks: no step of it runs here. */
  private withAttention<S extends SagaSummary>(saga: S): S {
    if (saga.status === 'completed' || saga.status === 'compensated') return saga;
    if (this.registry.find(saga.name, saga.version)) return saga;
    const reason =
      `Definition "${saga.name}" v${saga.version} is not registered in this process; ` +
      'its steps wait for a process that registers it.';
    return { ...saga, attention: { reason } };
  }

  /**
   * Retries the failed compensation of a parked (`compensation_failed`) saga, and continues compensating.
   * @throws SagaNotFoundError
   * @throws SagaStateConflictError when the saga is not parked
   */
  async retry(sagaId: string, note = ''): Promise<StartedSaga> {
    const outcome = this.accepted(
      sagaId,
      'retried',
      SAGA_ID_PATTERN.test(sagaId) ? await this.store.retryCompensation(sagaId, note) : { outcome: 'missing' },
    );
    const saga = await this.head(sagaId);
    const definition = this.registry.find(saga.name, saga.version);
    // Without the saga's version here, its next job is left to the sweeper of a process that has it.
    if (definition) await this.dispatcher.dispatch(definition, sagaId, outcome.cursor);
    return { id: sagaId, name: saga.name, status: outcome.cursor.status };
  }

  /**
   * Marks a parked saga as handled by hand: it ends `compensated`, with the note in its history.
   * @throws SagaNotFoundError
   * @throws SagaStateConflictError when the saga is not parked
   */
  async resolve(sagaId: string, note: string): Promise<StartedSaga> {
    const { cursor } = this.accepted(
      sagaId,
      'resolved',
      SAGA_ID_PATTERN.test(sagaId) ? await this.store.resolve(sagaId, note) : { outcome: 'missing' },
    );
    const saga = await this.head(sagaId);
    // A resolved child lets its parent go on (see ChildSagas).
    const definition = this.registry.find(saga.name, saga.version);
    if (definition) await this.dispatcher.follow(definition, sagaId, { outcome: 'applied', cursor });
    return { id: sagaId, name: saga.name, status: cursor.status };
  }

  private accepted(
    sagaId: string,
    action: string,
    outcome: OperatorOutcome,
  ): Extract<OperatorOutcome, { outcome: 'applied' }> {
    if (outcome.outcome === 'missing') throw new SagaNotFoundError(sagaId);
    if (outcome.outcome === 'conflict') throw new SagaStateConflictError(sagaId, outcome.status, action);
    return outcome;
  }

  async list(query: SagaListQuery): Promise<SagaPage> {
    const page = await this.store.list(query);
    return { ...page, items: page.items.map((item) => this.withAttention(item)) };
  }

  /** How many sagas are in each status now, of one name or of all. */
  counts(sagaName?: string): Promise<Record<SagaStatus, number>> {
    return this.store.counts(sagaName);
  }

  /** Counters of the whole deployment, kept by the transitions: for `/metrics`. */
  metrics(): Promise<SagaMetrics> {
    return this.store.metrics();
  }

  /**
   * The jobs in each state of every queue the engine uses: one per registered saga (added up over the shards), and
   * the events queue.
   */
  async queueDepths(): Promise<{ queue: string; counts: Record<string, number> }[]> {
    const shards = this.store.keys.shards();
    const queues = [
      ...this.registry.names().map((name) => shards.map((shard) => this.queues.get(name, shard))),
      [this.queues.events()],
    ];
    return guardRedis(() =>
      Promise.all(
        queues.map(async (sameName) => {
          const counts: Record<string, number> = {};
          for (const shardCounts of await Promise.all(sameName.map((queue) => queue.getJobCounts()))) {
            for (const [state, count] of Object.entries(shardCounts)) counts[state] = (counts[state] ?? 0) + count;
          }
          return { queue: sameName[0].name, counts };
        }),
      ),
    );
  }
}

/** The concurrency key of a saga's input, if its definition has one; refused unless it is a valid key. */
function concurrencyKeyOf(definition: SagaDefinition, input: object): string | undefined {
  if (!definition.concurrency) return undefined;
  const key: unknown = definition.concurrency.key(input as never);
  if (typeof key === 'string' && EVENT_KEY_PATTERN.test(key)) return key;
  throw new SagaInputInvalidError(definition.name, [
    { field: 'concurrency', messages: [`the concurrency key must be a string matching ${EVENT_KEY_PATTERN}`] },
  ]);
}

/** Refuses a key that does not match its pattern, naming the option, before anything is written. */
function checkTags(sagaName: string, tags: Readonly<Record<string, string>> | undefined): void {
  const entries = Object.entries(tags ?? {});
  const errors = entries.flatMap(([name, value]) => {
    const field = `tags.${name}`;
    if (!TAG_NAME_PATTERN.test(name)) return [{ field, messages: [`tag names must match ${TAG_NAME_PATTERN}`] }];
    if (typeof value !== 'string' || !EVENT_KEY_PATTERN.test(value)) {
      return [{ field, messages: [`${field} must be a string matching ${EVENT_KEY_PATTERN}`] }];
    }
    return [];
  });
  if (entries.length > MAX_TAGS) errors.push({ field: 'tags', messages: [`at most ${MAX_TAGS} tags`] });
  if (errors.length > 0) throw new SagaInputInvalidError(sagaName, errors);
}

function checkKey(sagaName: string, field: string, key: string | undefined, pattern: RegExp): void {
  if (key === undefined || pattern.test(key)) return;
  throw new SagaInputInvalidError(sagaName, [{ field, messages: [`${field} must match ${pattern}`] }]);
}
