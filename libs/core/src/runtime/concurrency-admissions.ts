import type { SagaDefinition } from '../definition/saga-definition';
import type { SagaRegistry } from '../definition/saga-registry';
import type { StepDispatcher } from '../queues/step-dispatcher';
import type { RedisSagaStore } from '../store/redis-saga-store';

/**
 * Adds the first jobs of the sagas that the end of a saga admitted from its concurrency key's queue (the
 * transition that ended it admitted them, see `lua/includes/concurrency.lua`). Told of every end at least once, and
 * idempotent: a job's id is derived from its saga's cursor. A crash before this runs leaves the admitted saga
 * running with no job, which the sweeper finds.
 */
export class ConcurrencyAdmissions {
  constructor(
    private readonly registry: SagaRegistry,
    private readonly store: RedisSagaStore,
    private readonly dispatcher: StepDispatcher,
  ) {
    dispatcher.onFinished((definition, sagaId) => this.ended(definition, sagaId));
  }

  private async ended(definition: SagaDefinition, sagaId: string): Promise<void> {
    if (!definition.concurrency) return;
    for (const admittedId of await this.store.admittedBy(sagaId)) {
      const saga = await this.store.head(admittedId);
      // Without its version here, the sweeper of a process that has it adds the job.
      const admitted = saga && this.registry.find(saga.name, saga.version);
      if (admitted && saga.cursor.status === 'running' && saga.cursor.index === 0) {
        await this.dispatcher.dispatch(admitted, admittedId, saga.cursor);
      }
    }
  }
}
