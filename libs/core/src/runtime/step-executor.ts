import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { EVENT_KEY_PATTERN } from '../definition/patterns';
import {
  groupRange,
  type AnyStep,
  type SagaDefinition,
  type StepDefinition,
  type StepRef,
} from '../definition/saga-definition';
import type { SignalsView, StepContext } from '../definition/saga-step';
import type { ResolvedPhaseOptions } from '../definition/step-options';
import { SagaErrorCode } from '../errors/error-codes';
import { PermanentError } from '../errors/permanent.error';
import type { EventInbox } from '../events/event-inbox';
import type { RedisSagaStore } from '../store/redis-saga-store';
import type { ErrorInfo } from '../store/saga-record';
import type { AttemptData, BegunJob, BeginResult, Phase, StepJobRef } from '../store/transition';
import { childSagaId, type ChildSagas } from './child-sagas';
import type { StepProbe } from './crash-point';
import { observeAttempt, type AttemptObserver } from './attempt-observer';
import { runAttempt, type AttemptAbort } from './run-attempt';
import { SagaTracing } from './saga-tracing';
import type { SagaLogger } from './saga-logger';
import { signalsView } from './signals-view';
import type { SagaRegistry } from '../definition/saga-registry';
import type { StepDispatcher } from '../queues/step-dispatcher';
import { retryDelay, timerJobId, type StepJobData } from '../queues/step-job';
import type { StepResolver } from './step-resolver';

/**
 * Processes one step job: begin (fenced), run the step or its compensation, record the outcome, and go on.
 *
 * Going on happens in the same job for as long as attempts succeed: the script that completes a step also
 * begins the saga's next one (or its next compensation), so a step costs one round trip to Redis. A failed
 * attempt of a step reached that way is handed to a job of its own, which BullMQ retries with its backoff. Not for
 * a saga with steps in named pools: each of its steps is a job in its pool's queue, so that only that pool's
 * workers run it.
 *
 * A job stays active in BullMQ until the saga's next job has been added, so if the process dies after a
 * transition but before that, the job is redelivered as stalled, finds its cursor gone (stale), and adds the
 * job for where the saga stands then: the job itself is the outbox of its transitions. The one exception is the
 * success of a saga's last step, sent as its job ends (see {@link completeWithJob}); the sweeper is its backstop.
 *
 * A wait (or sleep) step parks the saga and ends its job; a delayed timer job holds the saga until the deadline.
 * An event ends the wait earlier (see {@link EventInbox}), and the timer then finds nothing to do.
 */
export class StepExecutor {
  private readonly observers: readonly AttemptObserver[];
  /** Transitions of jobs that have ended already, until they are settled. */
  private readonly settling = new Set<Promise<void>>();
  /** Jobs being processed now. */
  private inFlight = 0;
  /**
   * The first attempt the last job's final transition began for the job BullMQ was to hand this process next
   * (see {@link completeWithJob}); taken by the next job, whichever it is.
   */
  private begunAhead?: Promise<BegunJob | undefined>;

  constructor(
    private readonly registry: SagaRegistry,
    private readonly store: RedisSagaStore,
    private readonly dispatcher: StepDispatcher,
    private readonly inbox: EventInbox,
    private readonly children: ChildSagas,
    private readonly resolve: StepResolver,
    private readonly logger: SagaLogger,
    /** Told as each step passes a {@link CrashPoint}: the hook of crash tests; none otherwise. */
    private readonly probe?: StepProbe,
    /** Wrap every attempt (metrics); spans come first when an OpenTelemetry SDK is registered. */
    observers: readonly AttemptObserver[] = [],
  ) {
    const tracing = SagaTracing.ifRegistered();
    this.observers = tracing ? [tracing, ...observers] : observers;
  }

  /**
   * @param takesNext - whether the job's worker will take its next job as this one ends (it is neither closing
   *   nor paused): only then is that job begun ahead (see {@link completeWithJob})
   */
  async process(job: Job<StepJobData>, token?: string, takesNext: () => boolean = () => false): Promise<void> {
    this.inFlight += 1;
    try {
      return await this.processJob(job, token, takesNext);
    } finally {
      this.inFlight -= 1;
    }
  }

  private async processJob(job: Job<StepJobData>, token: string | undefined, takesNext: () => boolean): Promise<void> {
    const { data } = job;
    const holder = job.id as string;
    const pending = this.begunAhead;
    this.begunAhead = undefined;
    const ahead = pending && (await pending);
    const definition = this.registry.find(data.saga, data.version);
    if (!definition) return this.postpone(job, token);
    let ref: StepJobRef = { sagaId: data.sagaId, phase: data.phase, index: data.index, gen: data.gen };
    if (data.timer) return this.fire(definition, ref);
    let attempt = job.attemptsMade + 1 + (data.attemptOffset ?? 0);

    // Begun ahead for this job, its first attempt, as the begin below would begin it: it saves the round trip.
    const begun: BeginResult =
      ahead && ahead.jobId === holder && attempt === 1
        ? { outcome: 'ready', ...ahead.data }
        : await this.store.begin(ref, attempt, definition.steps[ref.index].name, holder);
    if (begun.outcome !== 'ready') {
      this.logger.log(`Skipped a ${begun.outcome} job`, { sagaId: ref.sagaId, saga: data.saga, job: holder });
      return this.dispatcher.follow(definition, ref.sagaId, begun);
    }
    let attemptData: AttemptData = begun;
    for (let ownStep = true; ; ownStep = false) {
      const step = definition.steps[ref.index];
      let skipped: boolean;
      try {
        skipped = ref.phase === 'run' && !this.applies(definition, ref.index, attemptData);
      } catch (error) {
        // A condition that throws fails the step, as its run would.
        return this.onFailure(definition, step, ref, attempt, error, ownStep);
      }
      if (skipped) return this.dispatcher.follow(definition, ref.sagaId, await this.store.skip(ref, step.name));
      if (step.wait && ref.phase === 'run') return this.wait(definition, step, ref, attempt, attemptData, ownStep);
      this.probe?.({ saga: definition.name, step: step.name, phase: ref.phase, at: 'begun' });
      let output: unknown;
      try {
        output = await this.attempt(definition, step, ref, attempt, attemptData);
      } catch (error) {
        return this.onFailure(definition, step, ref, attempt, error, ownStep);
      }
      this.probe?.({ saga: definition.name, step: step.name, phase: ref.phase, at: 'ran' });
      if (ref.phase === 'run' && ref.index === definition.steps.length - 1 && this.endsWithItsJob(definition)) {
        const queue = this.inFlight === 1 && takesNext() ? job.queueQualifiedName : undefined;
        return this.completeWithJob(definition, step, ref, attempt, output, queue);
      }
      // A job goes on to the next step only within one pool: a saga with pools gets a job per step.
      const goOn = hasPools(definition) ? '' : holder;
      const next = goOn && definition.steps[ref.index + 1]?.name;
      const moved = await this.store.complete(ref, attempt, step.name, output, goOn, next || '');
      this.probe?.({ saga: definition.name, step: step.name, phase: ref.phase, at: 'recorded' });
      if (moved.outcome !== 'applied' || !moved.next) return this.dispatcher.follow(definition, ref.sagaId, moved);
      const { phase, index, gen } = moved.cursor;
      ref = { sagaId: ref.sagaId, phase: phase as Phase, index: index as number, gen };
      attempt = 1;
      attemptData = moved.next;
    }
  }

  /** Resolves once the transitions sent by jobs that have ended (see {@link completeWithJob}) are settled. */
  async drain(): Promise<void> {
    while (this.settling.size > 0) await Promise.all(this.settling);
  }

  /**
   * Whether a saga's last step may record its success after its job has ended: not for a saga started as a
   * child, whose end must reach its parent, which only the job's redelivery after a crash makes sure of.
   */
  private endsWithItsJob(definition: SagaDefinition): boolean {
    return !this.registry.startsAsChild(definition.name);
  }

  /**
   * Records the last step's success without waiting for the reply: the job ends at once, and BullMQ's finish of it
   * follows the transition on the same connection (Redis applies the transition first), in the same write when
   * they share it, so the last step costs no round trip of its own. What follows the transition runs after the
   * job: the job for a compensation, when a cancellation came meanwhile, and the {@link StepDispatcher.onFinished}
   * listeners. A crash before that leaves the saga compensating with no job, or a queued saga of its concurrency
   * key admitted with none, both of which the sweeper finds; a transition that failed leaves the saga at its
   * last step with a job that has ended, which the sweeper runs again.
   *
   * With `queue`, given when this is the only job in progress here and its worker takes a next job, BullMQ's
   * finish will hand this process the job at the head of that queue's wait list: if that is a saga's first step,
   * the transition begins its first attempt too, as its own begin would (the fence is the same), and that job
   * starts without a round trip. Any other next job takes its own begin, as does the begun one if another process
   * took it (its history then shows the begin twice).
   */
  private completeWithJob(
    definition: SagaDefinition,
    step: StepDefinition,
    ref: StepJobRef,
    attempt: number,
    output: unknown,
    queue: string | undefined,
  ): Promise<void> {
    const ahead = queue === undefined ? undefined : this.firstStepOf(definition, queue);
    const completed = this.store.complete(ref, attempt, step.name, output, '', '', ahead);
    if (ahead) {
      this.begunAhead = completed.then(
        (moved) => (moved.outcome === 'applied' ? moved.nextJob : undefined),
        () => undefined,
      );
    }
    const settled = completed
      .then((moved) => {
        this.probe?.({ saga: definition.name, step: step.name, phase: ref.phase, at: 'recorded' });
        return this.dispatcher.follow(definition, ref.sagaId, moved);
      })
      .catch((error: Error) =>
        this.logger.warn(`The last step's success was not recorded, or not followed: ${error.message}`, {
          sagaId: ref.sagaId,
          saga: definition.name,
          step: step.name,
        }),
      )
      .finally(() => this.settling.delete(settled));
    this.settling.add(settled);
    // The job ends only once the transition is on its way, so that BullMQ's finish goes after it.
    return this.store.transitionsSent();
  }

  /**
   * What a job of `queue` can begin ahead: the first step of the sagas whose queue it is, unless that step is in
   * a parallel group or the saga has pools (its first job may be in another queue).
   */
  private firstStepOf(definition: SagaDefinition, queue: string): { queue: string; firstStep: string } | undefined {
    const [first] = definition.steps;
    if (first.group !== undefined || hasPools(definition)) return undefined;
    return { queue, firstStep: first.name };
  }

  /**
   * A job of a definition version this process does not have (it was removed, or a rolling deploy has not
   * reached this process): the saga is left as it is, needing attention, and the job comes back later, for a
   * process that has the version, without spending an attempt.
   */
  private async postpone(job: Job<StepJobData>, token: string | undefined): Promise<void> {
    const { sagaId, saga, version } = job.data;
    this.logger.warn(`Saga "${saga}" v${version} is not registered here; its step waits for a process that has it`, {
      sagaId,
      saga,
      version,
    });
    await job.moveToDelayed(Date.now() + UNKNOWN_VERSION_RETRY_MS, token);
    throw new DelayedError();
  }

  /** The wait before retry `attemptsMade + 1` of a job, counting the attempts made before the job. */
  retryDelay(attemptsMade: number, job: Job<StepJobData>): number {
    const { saga, version, index, phase, attemptOffset = 0 } = job.data;
    const step = this.registry.get(saga, version).steps[index];
    return retryDelay((phase === 'run' ? step.run : step.compensation).backoff, attemptsMade + attemptOffset);
  }

  /** Whether a step's condition holds (true without one). */
  private applies(definition: SagaDefinition, index: number, data: AttemptData): boolean {
    const { when } = definition.steps[index];
    return !when || when({ input: data.input, outputs: outputsByName(definition, index, data.outputs) } as never);
  }

  /**
   * Parks the saga at a wait step until its event or its timer. The event may already be kept (published before
   * the saga got here): then the wait ends at once.
   */
  private async wait(
    definition: SagaDefinition,
    step: StepDefinition,
    ref: StepJobRef,
    attempt: number,
    data: AttemptData,
    ownStep: boolean,
  ): Promise<void> {
    const wait = step.wait as NonNullable<StepDefinition['wait']>;
    const sagaData = { input: data.input, outputs: outputsByName(definition, ref.index, data.outputs) } as never;
    let key: string | undefined;
    let timeoutMs: number;
    try {
      timeoutMs = wait.timeoutMs(sagaData);
      // A child step waits for its child saga, keyed by the child's id.
      key = step.child ? await this.children.start(ref.sagaId, step, sagaData, data.trace) : wait.key?.(sagaData);
      if (key !== undefined && !(typeof key === 'string' && EVENT_KEY_PATTERN.test(key))) {
        throw new PermanentError(`The wait's key ${JSON.stringify(key)} does not match ${EVENT_KEY_PATTERN}.`);
      }
    } catch (error) {
      return this.onFailure(definition, step, ref, attempt, error, ownStep);
    }
    const parked = await this.store.park(
      ref,
      step.name,
      { event: wait.event, key, signal: wait.signal, timeoutMs },
      timerJobId(ref, step.name),
    );
    if (parked.outcome !== 'applied' || parked.until === undefined) {
      return this.dispatcher.follow(definition, ref.sagaId, parked);
    }
    const remainingMs = parked.until - (parked.now ?? parked.until);
    if (step.child && key !== undefined) {
      await this.dispatcher.dispatchTimer(definition, ref, remainingMs);
      // The child may have ended before the parent parked, with no wait to end then.
      return this.children.settle(key);
    }
    if (wait.event && key !== undefined) {
      await this.inbox.addWaiter(wait.event, key, ref.sagaId, remainingMs);
      const delivered = await this.inbox.deliverKept(step, ref.sagaId, key);
      if (delivered) return this.dispatcher.follow(definition, ref.sagaId, delivered);
    }
    await this.dispatcher.dispatchTimer(definition, ref, remainingMs);
    const awaited = wait.event
      ? ` for "${wait.event}" with key "${key}"`
      : wait.signal
        ? ` for signal "${wait.signal}"`
        : '';
    this.logger.log(`Waiting${awaited}`, {
      sagaId: ref.sagaId,
      saga: definition.name,
      step: step.name,
      until: new Date(parked.until).toISOString(),
    });
  }

  /** A wait's timer job: ends a sleep, or times a wait out. Nothing to do when the wait has ended otherwise. */
  private async fire(definition: SagaDefinition, ref: StepJobRef): Promise<void> {
    const step = definition.steps[ref.index];
    const wait = step.wait as NonNullable<StepDefinition['wait']>;
    const outcome = wait.event || wait.signal ? wait.onTimeout : 'sleep';
    const fired = await this.store.expire(ref, step.name, outcome, {
      name: 'WaitTimedOutError',
      message: step.child
        ? `Child saga ${childSagaId(ref.sagaId, step.name)} did not end before the step's timeout.`
        : wait.signal
          ? `No "${wait.signal}" signal arrived before the wait's timeout.`
          : `No "${wait.event}" event arrived before the wait's timeout.`,
      code: SagaErrorCode.WaitTimedOut,
    });
    if (fired.outcome !== 'applied') return;
    if (outcome !== 'sleep') {
      this.logger.warn(`Wait timed out; the saga ${outcome === 'fail' ? 'compensates' : 'goes on'}`, {
        sagaId: ref.sagaId,
        saga: definition.name,
        step: step.name,
      });
    }
    await this.dispatcher.follow(definition, ref.sagaId, fired);
  }

  private attempt(
    definition: SagaDefinition,
    step: StepDefinition,
    ref: StepJobRef,
    attempt: number,
    { input, outputs, trace }: AttemptData,
  ): Promise<unknown> {
    const byName = outputsByName(definition, ref.index, outputs);
    const attemptWith = (signals: SignalsView<object>) => {
      const work = (abort: AttemptAbort) =>
        this.invoke(step, ref.phase, byName, input, stepContext(definition, step, ref, attempt, abort, signals));
      const { timeoutMs } = this.options(step, ref.phase);
      // Without observers (no SDK, no metrics) an attempt costs nothing more.
      if (this.observers.length === 0) return runAttempt(work, step.name, timeoutMs);
      const { name: saga, version } = definition;
      return observeAttempt(
        this.observers,
        { sagaId: ref.sagaId, saga, version, step: step.name, phase: ref.phase, attempt, trace },
        () => runAttempt(work, step.name, timeoutMs),
      );
    };
    // A saga that declares no signals has none to read: its steps cost no round trip for them.
    if (!declaresSignals(definition)) return attemptWith(NO_SIGNALS);
    return this.store.signals(ref.sagaId).then((signals) => attemptWith(signalsView(definition, signals)));
  }

  /**
   * Records a failed attempt. Its retry is BullMQ's when the step is the job's own (the error is rethrown),
   * else a job of the step's own, added with the backoff's delay.
   */
  private async onFailure(
    definition: SagaDefinition,
    step: StepDefinition,
    ref: StepJobRef,
    attempt: number,
    error: unknown,
    ownStep: boolean,
  ): Promise<void> {
    const final = isPermanent(error) || attempt >= this.options(step, ref.phase).attempts;
    const info = toErrorInfo(error);
    this.logger.warn(`${ref.phase === 'run' ? 'Step' : 'Compensation'} attempt failed: ${info.message}`, {
      sagaId: ref.sagaId,
      saga: definition.name,
      step: step.name,
      phase: ref.phase,
      attempt,
      final,
    });
    const failed = await this.store.fail(ref, attempt, step.name, info, final);
    if (failed.outcome !== 'applied') return this.dispatcher.follow(definition, ref.sagaId, failed);
    if (!failed.final) {
      if (ownStep) throw error;
      return this.dispatcher.dispatch(definition, ref.sagaId, failed.cursor, attempt);
    }
    await this.dispatcher.follow(definition, ref.sagaId, failed);
    // The job's own step has failed for good: end the job failed, without BullMQ retries.
    if (ownStep) throw new UnrecoverableError(info.message);
  }

  private options(step: StepDefinition, phase: Phase): ResolvedPhaseOptions {
    return phase === 'run' ? step.run : step.compensation;
  }

  /** Runs an attempt of a step's run or compensation; a child step's compensation undoes its child saga. */
  private invoke(
    step: StepDefinition,
    phase: StepJobData['phase'],
    outputs: Record<string, unknown>,
    input: unknown,
    ctx: StepContext,
  ): Promise<unknown> {
    if (step.child) return this.children.undo(childSagaId(ctx.sagaId, step.name), ctx.signal);
    // Only steps with an implementation get here: waits are carried out by the engine.
    const instance = this.resolve(step.ref as StepRef<AnyStep>) as unknown as {
      run(data: unknown, ctx: StepContext): Promise<unknown>;
      compensate?(data: unknown, output: unknown, ctx: StepContext): Promise<void>;
    };
    if (phase === 'run') return instance.run({ input, outputs }, ctx);
    const { [step.name]: ownOutput, ...earlier } = outputs;
    return instance.compensate ? instance.compensate({ input, outputs: earlier }, ownOutput, ctx) : Promise.resolve();
  }
}

/** What an attempt receives besides the saga's data; its signal is made only if the step reads it. */
function stepContext(
  definition: SagaDefinition,
  step: StepDefinition,
  ref: StepJobRef,
  attempt: number,
  abort: AttemptAbort,
  signals: SignalsView<object>,
): StepContext {
  return {
    sagaId: ref.sagaId,
    sagaName: definition.name,
    step: step.name,
    attempt,
    idempotencyKey: `${ref.sagaId}:${step.name}:${ref.phase}`,
    runIdempotencyKey: `${ref.sagaId}:${step.name}:run`,
    get signal() {
      return abort.signal;
    },
    signals,
  };
}

/** What `ctx.signals` is for a saga that declares none. */
const NO_SIGNALS: SignalsView<object> = Object.freeze({});

/** How long a job of an unknown definition version waits before it is tried again. */
const UNKNOWN_VERSION_RETRY_MS = 60_000;

/**
 * The outputs step `index` sees, by step name: those of the steps before it (and its own, for a compensation).
 * A step of a parallel group sees none of the group's others, whose outputs depend on timing.
 */
function outputsByName(definition: SagaDefinition, index: number, outputs: unknown[]): Record<string, unknown> {
  const [first] = groupRange(definition, index) ?? [index];
  const byName: Record<string, unknown> = {};
  outputs.forEach((output, i) => {
    if (i < first || i === index) byName[definition.steps[i].name] = output;
  });
  return byName;
}

/** A fact about a definition that every step run asks: computed once per definition, then remembered. */
function perDefinition(compute: (definition: SagaDefinition) => boolean): (definition: SagaDefinition) => boolean {
  const known = new WeakMap<SagaDefinition, boolean>();
  return (definition) => {
    let fact = known.get(definition);
    if (fact === undefined) known.set(definition, (fact = compute(definition)));
    return fact;
  };
}

/** Whether some step of the definition runs in a named pool. */
const hasPools = perDefinition((definition) => definition.steps.some((step) => step.pool));

/** Whether the definition declares signals, which its steps then read before each attempt. */
const declaresSignals = perDefinition((definition) => Object.keys(definition.signals).length > 0);

function isPermanent(error: unknown): boolean {
  return error instanceof PermanentError || error instanceof UnrecoverableError;
}

function toErrorInfo(error: unknown): ErrorInfo {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, ...(typeof code === 'string' && { code }) };
}
