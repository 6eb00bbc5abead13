import { UnrecoverableError, type Job } from 'bullmq';
import type { SagaDefinition, StepDefinition } from '../definition/saga-definition';
import type { StepContext } from '../definition/saga-step';
import { PermanentError } from '../errors/permanent.error';
import type { RedisSagaStore } from '../store/redis-saga-store';
import type { ErrorInfo } from '../store/saga-record';
import type { Transition } from '../store/transition';
import { runAttempt } from './run-attempt';
import type { SagaLogger } from './saga-logger';
import type { SagaRegistry } from './saga-registry';
import type { StepDispatcher } from './step-dispatcher';
import type { StepJobData } from './step-job';
import type { StepResolver } from './step-resolver';

/**
 * Processes one step job: begin (fenced), run the step or its compensation, then record the outcome and add
 * the job for the saga's next cursor.
 *
 * The job stays active in BullMQ until the next job has been added, so if the process dies after a transition
 * but before that, the job is redelivered as stalled, finds its cursor gone (stale), and adds the next job
 * then: the job itself is the outbox of its transition.
 */
export class StepExecutor {
  constructor(
    private readonly registry: SagaRegistry,
    private readonly store: RedisSagaStore,
    private readonly dispatcher: StepDispatcher,
    private readonly resolve: StepResolver,
    private readonly logger: SagaLogger,
  ) {}

  async process(job: Job<StepJobData>, signal?: AbortSignal): Promise<void> {
    const { data } = job;
    const definition = this.registry.get(data.saga, data.version);
    const step = definition.steps[data.index];
    const attempt = job.attemptsMade + 1;
    const log = { sagaId: data.sagaId, saga: data.saga, step: step.name, phase: data.phase, attempt };

    const begun = await this.store.begin(data, attempt, step.name);
    if (begun.outcome !== 'ready') {
      this.logger.log(`Skipped a ${begun.outcome} job`, log);
      return this.follow(definition, data.sagaId, begun);
    }

    const outputs = Object.fromEntries(begun.outputs.map((output, i) => [definition.steps[i].name, output]));
    const ctx: Omit<StepContext, 'signal'> = {
      sagaId: data.sagaId,
      sagaName: data.saga,
      step: step.name,
      attempt,
      idempotencyKey: `${data.sagaId}:${step.name}:${data.phase}`,
      runIdempotencyKey: `${data.sagaId}:${step.name}:run`,
    };
    const options = data.phase === 'run' ? step.run : step.compensation;
    let output: unknown;
    try {
      output = await runAttempt(
        (attemptSignal) => this.invoke(step, data.phase, outputs, begun.input, { ...ctx, signal: attemptSignal }),
        { step: step.name, timeoutMs: options.timeoutMs, outer: signal },
      );
    } catch (error) {
      const final = isPermanent(error) || attempt >= options.attempts;
      const info = toErrorInfo(error);
      this.logger.warn(`${data.phase === 'run' ? 'Step' : 'Compensation'} attempt failed: ${info.message}`, {
        ...log,
        final,
      });
      const failed = await this.store.fail(data, attempt, step.name, info, final);
      if (failed.outcome !== 'applied') return this.follow(definition, data.sagaId, failed);
      // BullMQ schedules the retry with its backoff; once final, the job ends failed without retries.
      if (!final) throw error;
      await this.follow(definition, data.sagaId, failed);
      throw new UnrecoverableError(info.message);
    }
    await this.follow(definition, data.sagaId, await this.store.complete(data, attempt, step.name, output));
  }

  private invoke(
    step: StepDefinition,
    phase: StepJobData['phase'],
    outputs: Record<string, unknown>,
    input: unknown,
    ctx: StepContext,
  ): Promise<unknown> {
    const instance = this.resolve(step.ref) as unknown as {
      run(data: unknown, ctx: StepContext): Promise<unknown>;
      compensate?(data: unknown, output: unknown, ctx: StepContext): Promise<void>;
    };
    if (phase === 'run') return instance.run({ input, outputs }, ctx);
    const { [step.name]: ownOutput, ...earlier } = outputs;
    return instance.compensate ? instance.compensate({ input, outputs: earlier }, ownOutput, ctx) : Promise.resolve();
  }

  /**
   * Adds the job for where the saga stands now (for a stale job, this re-adds a job lost to a crash), or drops
   * a saga that no job moves any more from the sweeper's watch.
   */
  private async follow(definition: SagaDefinition, sagaId: string, transition: Transition): Promise<void> {
    if (transition.outcome === 'missing') return;
    const { phase } = transition.cursor;
    if (phase === 'run' || phase === 'compensate') {
      await this.dispatcher.dispatch(definition, sagaId, transition.cursor);
    } else {
      await this.store.deactivate(sagaId);
    }
  }
}

function isPermanent(error: unknown): boolean {
  return error instanceof PermanentError || error instanceof UnrecoverableError;
}

function toErrorInfo(error: unknown): ErrorInfo {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, ...(typeof code === 'string' && { code }) };
}
