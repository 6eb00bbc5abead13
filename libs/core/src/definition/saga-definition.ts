import type { ConcurrencyDefinition } from './concurrency';
import type { ResolvedPhaseOptions } from './step-options';
import type { SagaData, SagaStep } from './saga-step';

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
 * @publicApi
 */
export interface SagaDefinition<I extends object = object, O = unknown> {
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
  /** Phantom field: carries the output types for clients; never set at run time. */
  readonly [OUTPUTS]?: O;
}
