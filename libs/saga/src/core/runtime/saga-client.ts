import { SagaNotFoundError } from '../errors/saga-not-found.error';
import { SagaStateConflictError } from '../errors/saga-state-conflict.error';
import type { OperatorOutcome, SagaCursor } from '../store/transition';
import type { RedisSagaStore, SagaListQuery } from '../store/redis-saga-store';
import type { SagaPage, SagaRecord, SagaStatus } from '../store/saga-record';
import { validateSagaInput } from './input-validator';
import { newSagaId, SAGA_ID_PATTERN } from './saga-id';
import type { SagaRegistry } from './saga-registry';
import type { StepDispatcher } from './step-dispatcher';

/** What starting a saga answers. @publicApi */
export interface StartedSaga {
  id: string;
  name: string;
  status: SagaStatus;
}

/**
 * Starts and reads sagas: what an API or any producer process uses. It needs no worker in the same process.
 * The store and the queues must share one connection: a saga and its first job are written in one MULTI.
 * @publicApi
 */
export class SagaClient {
  constructor(
    private readonly registry: SagaRegistry,
    private readonly store: RedisSagaStore,
    private readonly dispatcher: StepDispatcher,
  ) {}

  /**
   * Validates the input and starts the newest registered version of the saga.
   * @throws SagaDefinitionNotFoundError when no saga of that name is registered
   * @throws SagaInputInvalidError when the input breaks the definition's rules; nothing was written
   * @throws StoreUnavailableError when Redis cannot be reached
   */
  async start(sagaName: string, input: unknown): Promise<StartedSaga> {
    const definition = this.registry.latest(sagaName);
    const validInput = await validateSagaInput(definition, input);
    const id = newSagaId();
    const first: SagaCursor = { status: 'running', phase: 'run', index: 0, gen: 0 };
    // The saga and its first job are written in one MULTI: accepted whole, or not at all.
    const transaction = await this.dispatcher.transaction(definition);
    this.dispatcher.addToTransaction(transaction, definition, id, first);
    await this.store.start(definition, id, validInput, transaction);
    return { id, name: definition.name, status: 'running' };
  }

  /** @throws SagaNotFoundError */
  async get(sagaId: string): Promise<SagaRecord> {
    const saga = SAGA_ID_PATTERN.test(sagaId) ? await this.store.get(sagaId) : undefined;
    if (!saga) throw new SagaNotFoundError(sagaId);
    return saga;
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
    const saga = await this.get(sagaId);
    await this.dispatcher.dispatch(this.registry.get(saga.name, saga.version), sagaId, outcome.cursor);
    return { id: sagaId, name: saga.name, status: outcome.cursor.status };
  }

  /**
   * Marks a parked saga as handled by hand: it ends `compensated`, with the note in its history.
   * @throws SagaNotFoundError
   * @throws SagaStateConflictError when the saga is not parked
   */
  async resolve(sagaId: string, note: string): Promise<StartedSaga> {
    this.accepted(
      sagaId,
      'resolved',
      SAGA_ID_PATTERN.test(sagaId) ? await this.store.resolve(sagaId, note) : { outcome: 'missing' },
    );
    await this.store.deactivate(sagaId);
    const saga = await this.get(sagaId);
    return { id: sagaId, name: saga.name, status: saga.status };
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

  list(query: SagaListQuery): Promise<SagaPage> {
    return this.store.list(query);
  }
}
