import type { ConcurrencyDefinition } from './concurrency';
import type { ResolvedPhaseOptions } from './step-options';
import type { SagaData, SagaStep, SignalsView } from './saga-step';

/** A class that can be constructed, by Nest's injector or by `new`. */
export type Constructor<T> = new (...args: never[]) => T;

/** A step implementation: a class resolved from the DI container, or an instance. */
export type StepRef<S> = Constructor<S> | S;

/** A step whose data and output types have been checked by the builder and are erased at run time. */
export type AnyStep = SagaStep<never, unknown>;

/**
 * An event as the engine delivers it: to a trigger, which maps it to a saga's input, and to a waiting step,
 * whose output its payload becomes.
 * @publicApi
 */
export interface SagaEvent<P = Record<string, unknown>> {
  /** Unique per event: publishing the same id again has no second effect. */
  readonly id: string;
  /** A dotted name such as `order.placed`. */
  readonly type: string;
  /** The correlation key (an order id) that waiting steps match on. */
  readonly key?: string;
  readonly payload: P;
}

/** An event type that starts a saga, and how the event becomes the saga's input. @publicApi */
export interface SagaTrigger {
  readonly event: string;
  /** Maps the event to the saga's input (validated as any input); `undefined` means "not for this saga". */
  readonly input: (event: SagaEvent) => unknown;
}

/** What a `wait` or `sleep` step waits for. */
export interface WaitDefinition {
  /** The event type that ends the wait; absent for a sleep, which only waits for its timer. */
  readonly event?: string;
  /** The signal that ends the wait (see `SagaBuilder.waitForSignal`), instead of an event. */
  readonly signal?: string;
  /** The correlation key the event must carry, computed from the saga's data when the wait begins. */
  readonly key?: (data: SagaData<never, never>) => string;
  /** When the wait ends without an event, from when it begins. */
  readonly timeoutMs: (data: SagaData<never, never>) => number;
  /** `fail`: the step fails and the saga compensates; `continue`: the step succeeds with `null` as output. */
  readonly onTimeout: 'fail' | 'continue';
  /** A class-validator class the event's payload must satisfy; an event that does not is refused. */
  readonly payload?: Constructor<object>;
}

/** The saga a child step starts, and how the parent's data becomes its input. */
export interface ChildDefinition {
  readonly saga: string;
  readonly input: (data: SagaData<never, never>) => unknown;
}

/** One step of a built definition. */
export interface StepDefinition {
  readonly name: string;
  /** The step's implementation; absent for a wait or a sleep, which the engine carries out itself. */
  readonly ref?: StepRef<AnyStep>;
  /** Present on a wait or a sleep, and on a child step, which waits for its child saga to end. */
  readonly wait?: WaitDefinition;
  /** Present on a step that runs another saga (see `SagaBuilder.child`). */
  readonly child?: ChildDefinition;
  readonly compensable: boolean;
  /** See {@link StepOptions.compensateOnFailure}. */
  readonly compensateOnFailure: boolean;
  /** The worker pool that runs the step (see {@link StepOptions.pool}); absent for the default pool. */
  readonly pool?: string;
  /** The parallel group the step belongs to (see `SagaBuilder.parallel`); the group's steps are adjacent. */
  readonly group?: string;
  /** Runs the step only when this holds for the saga's data; see {@link StepCondition}. */
  readonly when?: (data: SagaData<never, never>) => boolean;
  readonly run: ResolvedPhaseOptions;
  readonly compensation: ResolvedPhaseOptions;
}

/**
 * The first and last index of the parallel group holding step `index`, or `undefined` for a step on its own.
 * @publicApi
 */
export function groupRange(definition: SagaDefinition, index: number): [first: number, last: number] | undefined {
  const group = definition.steps[index]?.group;
  if (group === undefined) return undefined;
  let [first, last] = [index, index];
  while (definition.steps[first - 1]?.group === group) first -= 1;
  while (definition.steps[last + 1]?.group === group) last += 1;
  return [first, last];
}

/**
 * A signal a saga declares: data sent to a running saga (`POST /sagas/:id/signals/:name`), kept with it, which its
 * steps read in `ctx.signals` and a `waitForSignal` step waits for.
 * @typeParam P - the payload's type
 * @publicApi
 */
export interface SignalDefinition<P extends object = object> {
  readonly name: string;
  /** The class-validator class a payload must satisfy; one that does not is refused, and nothing is kept. */
  readonly payload: Constructor<P>;
}

/**
 * What a query of a saga sees: the saga as it stands, typed by its definition. `outputs` holds the steps that have
 * an output (succeeded, or compensated since).
 * @publicApi
 */
export interface QueryView<I, O, G> {
  readonly id: string;
  /** Its status: one of `SAGA_STATUSES` (the store's layer, after this one, defines them). */
  readonly status: string;
  readonly input: I;
  readonly outputs: Partial<O>;
  readonly signals: SignalsView<G>;
}

/**
 * A query a saga declares: a pure function of the saga as it stands (`GET /sagas/:id/queries/:name`), run where it
 * is asked, on the saga's record; its result must be plain data, as it is sent as JSON.
 * @typeParam R - the query's result
 * @publicApi
 */
export interface QueryDefinition<R = unknown> {
  readonly name: string;
  readonly resolve: (saga: QueryView<never, never, never>) => R;
}

declare const OUTPUTS: unique symbol;

/**
 * The event type that ends a child step's wait: its child saga completed. Internal to the engine; its key is the
 * child saga's id.
 */
export const CHILD_COMPLETED_EVENT = 'sagaflow.child.completed';

/**
 * A built saga definition: a plain value, readable on one screen and testable without Nest.
 * @typeParam I - the saga's input type
 * @typeParam O - the outputs of all its steps, by step name
 * @typeParam G - the payload types of its signals, by name
 * @typeParam Q - the result types of its queries, by name
 * @publicApi
 */
export interface SagaDefinition<I extends object = object, O = unknown, G extends object = {}, Q extends object = {}> {
  readonly name: string;
  readonly version: number;
  /** The class-validator decorated class the input is validated against. */
  readonly input: Constructor<I>;
  readonly steps: readonly StepDefinition[];
  /** The events that start this saga. */
  readonly triggers: readonly SagaTrigger[];
  /**
   * How long a saga of this definition is kept once it has ended, in ms; `null` for ever; absent, the
   * deployment's retention (see {@link Retention}).
   */
  readonly retentionMs?: number | null;
  /** At most `limit` sagas of one key run at once; absent, no limit (see `ConcurrencyOptions`). */
  readonly concurrency?: ConcurrencyDefinition;
  /** The signals it takes, by name: pass one to `SagaClient.signal` for a typed payload. */
  readonly signals: { readonly [K in keyof G]: SignalDefinition<G[K] & object> };
  /** Its queries, by name: pass one to `SagaClient.query` for a typed result. */
  readonly queries: { readonly [K in keyof Q]: QueryDefinition<Q[K]> };
  /** Phantom field: carries the output types for clients; never set at run time. */
  readonly [OUTPUTS]?: O;
}

/** The signal of this name a definition declares, if any. */
export function signalOf(definition: SagaDefinition, name: string): SignalDefinition | undefined {
  return Object.hasOwn(definition.signals, name)
    ? (definition.signals as Record<string, SignalDefinition>)[name]
    : undefined;
}

/** The query of this name a definition declares, if any. */
export function queryOf(definition: SagaDefinition, name: string): QueryDefinition | undefined {
  return Object.hasOwn(definition.queries, name)
    ? (definition.queries as Record<string, QueryDefinition>)[name]
    : undefined;
}
