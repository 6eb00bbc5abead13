import { InvalidSagaDefinitionError } from '../errors/invalid-saga-definition.error';
import {
  CHILD_PHASES,
  WAIT_PHASE,
  buildStep,
  type StepCondition,
  type StepOptionsFor,
  type StepOutput,
} from './build-step';
import { toMilliseconds, type Duration } from './duration';
import { ParallelGroup } from './parallel-group';
import { retentionMs, type Retention } from './retention';
import { concurrencyDefinition, type ConcurrencyOptions } from './concurrency';
import { NAME_PATTERN, isEventType } from './patterns';
import {
  CHILD_COMPLETED_EVENT,
  type ChildDefinition,
  type Constructor,
  type QueryDefinition,
  type QueryView,
  type SagaDefinition,
  type SagaEvent,
  type SagaTrigger,
  type SignalDefinition,
  type StepDefinition,
  type StepRef,
  type WaitDefinition,
} from './saga-definition';
import type { SagaData, SagaStep } from './saga-step';
import type { StepOptions } from './step-options';

/**
 * Options of a step that waits for an event.
 * @typeParam D - the saga's data at that step
 * @typeParam P - the event payload's type, which becomes the step's output
 * @publicApi
 */
export interface WaitForOptions<D, P> {
  /** The event type, such as `shipment.delivered`. */
  event: string;
  /** The correlation key the event must carry (an order id), from the saga's data. */
  key: (data: D) => string;
  /** How long to wait: a {@link Duration}, or one computed from the saga's data. */
  timeout: Duration | ((data: D) => Duration);
  /**
   * What a timeout does: `fail` fails the step (the saga compensates); `continue` lets the saga go on with
   * `null` as the step's output.
   * @defaultValue 'fail'
   */
  onTimeout?: 'fail' | 'continue';
  /** A class-validator class the payload must satisfy; an event that does not is refused and the wait goes on. */
  payload?: Constructor<P & object>;
}

/**
 * Options of a step that waits for a signal.
 * @typeParam D - the saga's data at that step
 * @typeParam K - the signal's name, one the saga declares
 * @publicApi
 */
export interface WaitForSignalOptions<D, K> {
  /** The signal that ends the wait: the oldest of that name no earlier wait took, received before or during it. */
  signal: K;
  /** How long to wait: a {@link Duration}, or one computed from the saga's data. */
  timeout: Duration | ((data: D) => Duration);
  /**
   * What a timeout does: `fail` fails the step (the saga compensates); `continue` lets the saga go on with
   * `null` as the step's output.
   * @defaultValue 'fail'
   */
  onTimeout?: 'fail' | 'continue';
}

/** The signals of {@link defineSaga}'s options: a class-validator class per name, for the payload. */
export type SignalClasses = Readonly<Record<string, Constructor<object>>>;

/** The payload type of each signal, by name. */
export type SignalPayloads<S extends SignalClasses> = { [K in keyof S]: InstanceType<S[K]> };

/** Output of a wait: the event's payload, or `null` after a timeout the saga continues from. */
type WaitOutput<P, T> = T extends 'continue' ? P | null : P;

/** The parts of a definition set once for the whole saga, beside its steps, signals and queries. */
type SagaSettings = Pick<SagaDefinition, 'retentionMs' | 'concurrency'>;

/**
 * Builds a {@link SagaDefinition} step by step. Each `.step()` adds its output to the data the following steps
 * receive, so a step that needs an earlier step's output cannot be placed before it: that fails to compile.
 *
 * @typeParam I - the saga's input type
 * @typeParam O - the outputs of the steps added so far, by step name
 * @typeParam G - the payload types of the saga's signals, by name
 * @typeParam Q - the result types of the queries added so far, by name
 * @publicApi
 */
export class SagaBuilder<I extends object, O extends object, G extends object = {}, Q extends object = {}> {
  private constructor(
    private readonly name: string,
    private readonly version: number,
    private readonly input: Constructor<I>,
    private readonly steps: readonly StepDefinition[],
    private readonly triggers: readonly SagaTrigger[],
    private readonly settings: SagaSettings,
    private readonly signals: Readonly<Record<string, SignalDefinition>>,
    private readonly queries: Readonly<Record<string, QueryDefinition>>,
  ) {}

  /** @internal use {@link defineSaga} */
  static create<I extends object, G extends object>(
    name: string,
    version: number,
    input: Constructor<I>,
    triggers: readonly SagaTrigger[],
    settings: SagaSettings,
    signals: Readonly<Record<string, SignalDefinition>>,
  ): SagaBuilder<I, {}, G> {
    return new SagaBuilder<I, {}, G>(name, version, input, [], triggers, settings, signals, {});
  }

  /**
   * Appends a step.
   * @param name - unique within the saga; the key of its output for the steps after it
   * @param step - a Nest provider class (resolved from the worker's DI container) or a step object
   * @param options - retry, timeout, and the same for its compensation
   */
  step<N extends string, S extends SagaStep<never, unknown>>(
    name: N extends keyof O ? never : N,
    step: StepRef<S>,
    ...options: StepOptionsFor<N, S, SagaData<I, O>, G>
  ): SagaBuilder<I, O & { [K in N]: StepOutput<S> }, G, Q> {
    this.checkStepName(name);
    return this.append([buildStep(this.name, name, step, options[0] as StepOptions & StepCondition<never>)]);
  }

  /**
   * Appends a group of steps that run at the same time, each in a job of its own, and are joined: the saga goes
   * on once all of them have succeeded (or been skipped), with each one's output under its name. Each step of the
   * group sees the data of the steps before the group, not its siblings' outputs. When one fails for good, the
   * ones not yet begun are not started, the ones in flight finish (or time out), and then every one that
   * succeeded is compensated, newest index first, followed by the steps before the group in reverse order.
   * @param name - names the group in definition checks and messages; unique among the saga's step names
   * @param steps - adds the group's steps, at least two: `(group) => group.step('a', A).step('b', B)`
   */
  parallel<N extends string, P extends object>(
    name: N extends keyof O ? never : N,
    steps: (group: ParallelGroup<SagaData<I, O>, O, {}, G>) => ParallelGroup<SagaData<I, O>, O, P, G>,
  ): SagaBuilder<I, O & P, G, Q> {
    this.checkStepName(name);
    const group = steps(ParallelGroup.create<SagaData<I, O>, O, G>(this.name)).steps;
    if (group.length < 2) {
      throw new InvalidSagaDefinitionError(this.name, `parallel group "${name}" needs at least two steps.`);
    }
    for (const member of group) this.checkStepName(member.name);
    return this.append(group.map((member) => ({ ...member, group: name })));
  }

  /**
   * Appends a step that waits for an event of a type whose key matches, and outputs its payload. The saga's
   * status is `waiting` meanwhile. An event published before the saga gets here is kept for the configured
   * retention and delivered when it does. Nothing to undo: a wait has no compensation.
   */
  waitFor<N extends string, P = Record<string, unknown>, T extends 'fail' | 'continue' = 'fail'>(
    name: N extends keyof O ? never : N,
    options: WaitForOptions<SagaData<I, O>, P> & { onTimeout?: T },
  ): SagaBuilder<I, O & { [K in N]: WaitOutput<P, T> }, G, Q> {
    if (!isEventType(options.event)) {
      throw new InvalidSagaDefinitionError(this.name, `step "${name}": "${options.event}" is not an event type.`);
    }
    if (typeof options.key !== 'function') {
      throw new InvalidSagaDefinitionError(this.name, `step "${name}": key must be a function of the saga's data.`);
    }
    return this.appendWait(name, {
      event: options.event,
      key: options.key as WaitDefinition['key'],
      timeoutMs: this.durationOf(name, options.timeout),
      onTimeout: options.onTimeout ?? 'fail',
      ...(options.payload && { payload: options.payload }),
    });
  }

  /**
   * Appends a step that waits for a signal the saga declares, and outputs its payload. The saga's status is
   * `waiting` meanwhile. A signal received before the saga gets here is kept with the saga and ends the wait at
   * once; each signal ends at most one wait, the oldest signal of the name first. Nothing to undo.
   */
  waitForSignal<N extends string, K extends keyof G & string, T extends 'fail' | 'continue' = 'fail'>(
    name: N extends keyof O ? never : N,
    options: WaitForSignalOptions<SagaData<I, O>, K> & { onTimeout?: T },
  ): SagaBuilder<I, O & { [S in N]: WaitOutput<G[K], T> }, G, Q> {
    if (!signalDeclared(this.signals, options.signal)) {
      throw new InvalidSagaDefinitionError(
        this.name,
        `step "${name}": signal "${String(options.signal)}" is not declared in defineSaga's signals.`,
      );
    }
    return this.appendWait(name, {
      signal: options.signal,
      timeoutMs: this.durationOf(name, options.timeout),
      onTimeout: options.onTimeout ?? 'fail',
    });
  }

  /**
   * Adds a query: a pure function of the saga as it stands (status, input, the outputs so far, the signals
   * received), answered by `GET /sagas/:id/queries/:name` and `SagaClient.query`. Add queries after the steps, so
   * that they see every step's output type.
   * @param name - unique among the saga's queries, matching {@link NAME_PATTERN}
   */
  query<N extends string, R>(
    name: N extends keyof Q ? never : N,
    resolve: (saga: QueryView<I, O, G>) => R,
  ): SagaBuilder<I, O, G, Q & { [K in N]: R }> {
    if (!NAME_PATTERN.test(name)) {
      throw new InvalidSagaDefinitionError(this.name, `query name "${name}" must match ${NAME_PATTERN}.`);
    }
    if (Object.hasOwn(this.queries, name)) {
      throw new InvalidSagaDefinitionError(this.name, `query "${name}" is defined twice.`);
    }
    if (typeof resolve !== 'function') {
      throw new InvalidSagaDefinitionError(this.name, `query "${name}" must be a function of the saga.`);
    }
    const query: QueryDefinition = { name, resolve: resolve as QueryDefinition['resolve'] };
    const { version, input, steps, triggers, settings, signals } = this;
    const queries = { ...this.queries, [name]: query };
    return new SagaBuilder(this.name, version, input, steps, triggers, settings, signals, queries);
  }

  /**
   * Appends a step that runs another saga, the child, and outputs the child's outputs (by its step names) once
   * it completes. The parent waits meanwhile (status `waiting`); the child is a saga of its own, listed, operated
   * and retried like any other, and started once however often the step runs. A child that ends compensated
   * fails the step, and the parent compensates. When the parent compensates past this step, the child is
   * compensated as a whole (a running child is cancelled first); cancelling the parent cancels a running child.
   * The child's definition must be registered in the same worker processes as the parent's.
   * @param options.input - the child's input, from the parent's data
   * @param options.timeout - how long the parent waits for the child to end before failing the step
   * @defaultValue timeout: '30d'
   */
  child<N extends string, CI extends object, CO>(
    name: N extends keyof O ? never : N,
    saga: SagaDefinition<CI, CO>,
    options: { input: (data: SagaData<I, O>) => CI; timeout?: Duration },
  ): SagaBuilder<I, O & { [K in N]: CO }, G, Q> {
    this.checkStepName(name);
    if (typeof options?.input !== 'function') {
      throw new InvalidSagaDefinitionError(this.name, `step "${name}": input must be a function of the saga's data.`);
    }
    const wait: WaitDefinition = {
      event: CHILD_COMPLETED_EVENT,
      timeoutMs: this.durationOf(name, options.timeout ?? '30d'),
      onTimeout: 'fail',
    };
    const child = { saga: saga.name, input: options.input as ChildDefinition['input'] };
    // Compensated also when the step fails: a child that was cancelled or timed out may have done some work.
    return this.append([{ name, wait, child, compensable: true, compensateOnFailure: true, ...CHILD_PHASES }]);
  }

  /** Appends a durable sleep: the saga waits (status `waiting`) and goes on after `duration`, with `null` as output. */
  sleep<N extends string>(
    name: N extends keyof O ? never : N,
    duration: Duration | ((data: SagaData<I, O>) => Duration),
  ): SagaBuilder<I, O & { [K in N]: null }, G, Q> {
    return this.appendWait(name, { timeoutMs: this.durationOf(name, duration), onTimeout: 'continue' });
  }

  build(): SagaDefinition<I, O, G, Q> {
    if (this.steps.length === 0) {
      throw new InvalidSagaDefinitionError(this.name, 'it has no steps.');
    }
    const { name, version, input, steps, triggers } = this;
    return {
      name,
      version,
      input,
      steps,
      triggers,
      ...this.settings,
      signals: this.signals as SagaDefinition<I, O, G, Q>['signals'],
      queries: this.queries as SagaDefinition<I, O, G, Q>['queries'],
    };
  }

  private appendWait<R extends object>(name: string, wait: WaitDefinition): SagaBuilder<I, R, G, Q> {
    this.checkStepName(name);
    // A wait's timeout is the wait's, not an attempt's.
    return this.append([
      { name, wait, compensable: false, compensateOnFailure: false, run: WAIT_PHASE, compensation: WAIT_PHASE },
    ]);
  }

  private append<R extends object>(steps: StepDefinition[]): SagaBuilder<I, R, G, Q> {
    const { name, version, input, triggers, settings, signals, queries } = this;
    const all = [...this.steps, ...steps];
    return new SagaBuilder<I, R, G, Q>(name, version, input, all, triggers, settings, signals, queries);
  }

  private checkStepName(name: string): void {
    if (!NAME_PATTERN.test(name)) {
      throw new InvalidSagaDefinitionError(this.name, `step name "${name}" must match ${NAME_PATTERN}.`);
    }
    if (this.steps.some((existing) => existing.name === name || existing.group === name)) {
      throw new InvalidSagaDefinitionError(this.name, `step "${name}" is defined twice.`);
    }
  }

  /** A fixed duration is checked now; one computed from the data, when the wait begins. */
  private durationOf<D>(name: string, duration: Duration | ((data: D) => Duration)): WaitDefinition['timeoutMs'] {
    const check = (value: Duration): number => {
      const ms = toMilliseconds(value);
      if (ms === undefined || ms < 1) {
        throw new InvalidSagaDefinitionError(this.name, `step "${name}": "${value}" is not a positive duration.`);
      }
      return ms;
    };
    if (typeof duration === 'function') return (data) => check(duration(data as D));
    const ms = check(duration);
    return () => ms;
  }
}

/**
 * Starts the definition of a saga.
 *
 * @example
 * export const checkoutSaga = defineSaga('checkout', { version: 1, input: CheckoutInput })
 *   .step('reserveInventory', ReserveInventoryStep, { timeout: '5s' })
 *   .step('chargePayment', ChargePaymentStep, { retry: { attempts: 5, backoff: { type: 'exponential', delay: '1s' } } })
 *   .build();
 *
 * @param name - unique among the registered sagas; used in the URL `POST /sagas/:name`
 * @param options.version - a positive integer; in-flight sagas keep running on the version they started with
 * @param options.input - a class whose class-validator decorators describe a valid input
 * @param options.startOn - event types that start the saga: a type (the payload is the input), or a type with a
 * function mapping the event to the input (returning `undefined` when the event is not for this saga)
 * @param options.retention - how long a saga of this definition is kept once it has ended, its history with it;
 * by default the deployment's (`retention` of `SagaModule.forRoot`, 7 days unless set)
 * @param options.concurrency - at most `limit` sagas of one key (from the input) run at once, the others queued in
 * start order: `{ key: (input) => input.customerId, limit: 1 }` (see {@link ConcurrencyOptions})
 * @param options.signals - the signals a running saga takes, by name (matching {@link NAME_PATTERN}), each with a
 * class-validator class for its payload: `{ approval: Approval }`
 * @publicApi
 */
export function defineSaga<I extends object, S extends SignalClasses = {}>(
  name: string,
  options: {
    version?: number;
    input: Constructor<I>;
    startOn?: readonly (string | { event: string; input: (event: SagaEvent) => I | undefined })[];
    retention?: Retention;
    concurrency?: ConcurrencyOptions<I>;
    signals?: S;
  },
): SagaBuilder<I, {}, SignalPayloads<S>> {
  const version = options.version ?? 1;
  if (!NAME_PATTERN.test(name)) {
    throw new InvalidSagaDefinitionError(name, `the saga name must match ${NAME_PATTERN}.`);
  }
  if (!Number.isInteger(version) || version < 1) {
    throw new InvalidSagaDefinitionError(name, 'version must be a positive integer.');
  }
  if (typeof options.input !== 'function') {
    throw new InvalidSagaDefinitionError(name, 'input must be a class decorated with class-validator rules.');
  }
  const triggers = (options.startOn ?? []).map((trigger): SagaTrigger => {
    const { event, input } =
      typeof trigger === 'string' ? { event: trigger, input: (e: SagaEvent) => e.payload } : trigger;
    if (!isEventType(event)) throw new InvalidSagaDefinitionError(name, `startOn: "${event}" is not an event type.`);
    return { event, input };
  });
  const retention = options.retention === undefined ? undefined : retentionMs(options.retention);
  if (retention === undefined && options.retention !== undefined) {
    throw new InvalidSagaDefinitionError(
      name,
      `retention "${options.retention}" must be a positive duration (such as '7d' or '12h') or 'forever'.`,
    );
  }
  const signals: Record<string, SignalDefinition> = {};
  for (const [signal, payload] of Object.entries(options.signals ?? {})) {
    if (!NAME_PATTERN.test(signal)) {
      throw new InvalidSagaDefinitionError(name, `signal name "${signal}" must match ${NAME_PATTERN}.`);
    }
    if (typeof payload !== 'function') {
      throw new InvalidSagaDefinitionError(name, `signal "${signal}": its payload must be a class-validator class.`);
    }
    signals[signal] = { name: signal, payload };
  }
  const settings: SagaSettings = {
    ...(retention !== undefined && { retentionMs: retention }),
    ...(options.concurrency !== undefined && { concurrency: concurrencyDefinition(name, options.concurrency) }),
  };
  return SagaBuilder.create(name, version, options.input, triggers, settings, signals);
}

function signalDeclared(signals: Readonly<Record<string, SignalDefinition>>, name: unknown): name is string {
  return typeof name === 'string' && Object.hasOwn(signals, name);
}
