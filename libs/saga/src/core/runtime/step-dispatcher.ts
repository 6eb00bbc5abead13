import type { SagaDefinition } from '../definition/saga-definition';
import { StoreUnavailableError } from '../errors/store-unavailable.error';
import type { SagaCursor } from '../store/transition';
import type { SagaQueues } from './saga-queues';
import { stepJobId, stepJobName, type StepJobData } from './step-job';

/** How many finished jobs BullMQ keeps for Bull Board; the saga's own history is kept regardless. */
const KEEP_COMPLETED_JOBS = { count: 1_000 };
const KEEP_FAILED_JOBS = { count: 5_000 };

/** Adds the job that moves a saga from its cursor; idempotent, since the job id is derived from the cursor. */
export class StepDispatcher {
  constructor(private readonly queues: SagaQueues) {}

  async dispatch(definition: SagaDefinition, sagaId: string, cursor: SagaCursor): Promise<void> {
    if ((cursor.phase !== 'run' && cursor.phase !== 'compensate') || cursor.index === undefined) return;
    const step = definition.steps[cursor.index];
    const options = cursor.phase === 'run' ? step.run : step.compensation;
    const data: StepJobData = {
      sagaId,
      saga: definition.name,
      version: definition.version,
      phase: cursor.phase,
      index: cursor.index,
      gen: cursor.gen,
    };
    try {
      await this.queues.get(definition.name).add(stepJobName(cursor.phase, step.name), data, {
        jobId: stepJobId(data, step.name),
        attempts: options.attempts,
        backoff: { type: options.backoff.type, delay: options.backoff.delayMs },
        removeOnComplete: KEEP_COMPLETED_JOBS,
        removeOnFail: KEEP_FAILED_JOBS,
      });
    } catch (error) {
      throw new StoreUnavailableError(error);
    }
  }
}
