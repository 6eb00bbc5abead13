import { InvalidSagaDefinitionError } from '../errors/invalid-saga-definition.error';
import { buildStep, type StepCondition, type StepOptionsFor, type StepOutput } from './build-step';
import type { StepDefinition, StepRef } from './saga-definition';
import type { SagaStep } from './saga-step';
import type { StepOptions } from './step-options';

/**
 * Collects the steps of a parallel group (see `SagaBuilder.parallel`). Every step gets the data `D` of the steps
 * before the group; the group adds each one's output under its name.
 *
 * @typeParam D - the saga's data before the group
 * @typeParam O - the outputs before the group, whose names the group's steps may not take
 * @typeParam G - the outputs of the group's steps added so far
 * @typeParam Sig - the saga's signals, which the group's steps may read
 * @publicApi
 */
export class ParallelGroup<D, O extends object, G extends object, Sig extends object = {}> {
  private constructor(
    private readonly sagaName: string,
    /** @internal */
    readonly steps: readonly StepDefinition[],
  ) {}

  /** @internal use `SagaBuilder.parallel` */
  static create<D, O extends object, Sig extends object = {}>(sagaName: string): ParallelGroup<D, O, {}, Sig> {
    return new ParallelGroup(sagaName, []);
  }

  /** Adds a step to the group: options and types as `SagaBuilder.step`, with the data before the group. */
  step<N extends string, S extends SagaStep<never, unknown>>(
    name: N extends keyof O | keyof G ? never : N,
    step: StepRef<S>,
    ...options: StepOptionsFor<N, S, D, Sig>
  ): ParallelGroup<D, O, G & { [K in N]: StepOutput<S> }, Sig> {
    if (this.steps.some((existing) => existing.name === name)) {
      throw new InvalidSagaDefinitionError(this.sagaName, `step "${name}" is defined twice.`);
    }
    const definition = buildStep(this.sagaName, name, step, options[0] as StepOptions & StepCondition<never>);
    return new ParallelGroup(this.sagaName, [...this.steps, definition]);
  }
}
