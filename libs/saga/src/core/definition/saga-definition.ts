import type { ResolvedPhaseOptions, StepOptions } from './step-options';
import type { SagaStep } from './saga-step';

/** A class that can be constructed, by Nest's injector or by `new`. */
export type Constructor<T> = new (...args: never[]) => T;

/** A step implementation: a class resolved from the DI container, or an instance. */
export type StepRef<S> = Constructor<S> | S;

/** A step whose data and output types have been checked by the builder and are erased at run time. */
export type AnyStep = SagaStep<never, unknown>;

/** One step of a built definition. */
export interface StepDefinition {
  readonly name: string;
  readonly ref: StepRef<AnyStep>;
  readonly compensable: boolean;
  /** See {@link StepOptions.compensateOnFailure}. */
  readonly compensateOnFailure: boolean;
  readonly run: ResolvedPhaseOptions;
  readonly compensation: ResolvedPhaseOptions;
}

declare const OUTPUTS: unique symbol;

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
  /** Phantom field: carries the output types for clients; never set at run time. */
  readonly [OUTPUTS]?: O;
}
