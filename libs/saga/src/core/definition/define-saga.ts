import { InvalidSagaDefinitionError } from '../errors/invalid-saga-definition.error';
import { toMilliseconds } from './duration';
import type { AnyStep, Constructor, SagaDefinition, StepDefinition, StepRef } from './saga-definition';
import type { SagaData, SagaStep, StepContext } from './saga-step';
import type { PhaseOptions, ResolvedPhaseOptions, RetryOptions, StepOptions } from './step-options';

/** Names of sagas and steps end up in Redis keys and job ids, so they are kept to a safe alphabet. */
export const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

const RUN_DEFAULTS: ResolvedPhaseOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delayMs: 1_000 },
  timeoutMs: 60_000,
};
const COMPENSATION_DEFAULTS: ResolvedPhaseOptions = { ...RUN_DEFAULTS, attempts: 10 };

type StepInput<S> = S extends { run(data: infer In, ctx: StepContext): Promise<unknown> } ? In : never;
type StepOutput<S> = S extends { run(data: never, ctx: StepContext): Promise<infer Out> } ? Out : never;

/**
 * Stands in the argument list when a step needs data the earlier steps do not provide, so the compiler names
 * the step at fault.
 */
export interface StepDataNotAvailable<N extends string> {
  readonly error: `step "${N}" needs outputs of steps that do not run before it`;
}

/**
 * Builds a {@link SagaDefinition} step by step. Each `.step()` adds its output to the data the following steps
 * receive, so a step that needs an earlier step's output cannot be placed before it: that fails to compile.
 *
 * @typeParam I - the saga's input type
 * @typeParam O - the outputs of the steps added so far, by step name
 * @publicApi
 */
export class SagaBuilder<I extends object, O extends object> {
  private constructor(
    private readonly name: string,
    private readonly version: number,
    private readonly input: Constructor<I>,
    private readonly steps: readonly StepDefinition[],
  ) {}

  /** @internal use {@link defineSaga} */
  static create<I extends object>(name: string, version: number, input: Constructor<I>): SagaBuilder<I, {}> {
    return new SagaBuilder<I, {}>(name, version, input, []);
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
    ...options: SagaData<I, O> extends StepInput<S>
      ? [options?: StepOptions]
      : [options: StepOptions | undefined, mismatch: StepDataNotAvailable<N>]
  ): SagaBuilder<I, O & { [K in N]: StepOutput<S> }> {
    const stepOptions = options[0] ?? {};
    if (!NAME_PATTERN.test(name)) {
      throw new InvalidSagaDefinitionError(this.name, `step name "${name}" must match ${NAME_PATTERN}.`);
    }
    if (this.steps.some((existing) => existing.name === name)) {
      throw new InvalidSagaDefinitionError(this.name, `step "${name}" is defined twice.`);
    }
    const compensable = hasCompensation(step);
    if (stepOptions.compensateOnFailure && !compensable) {
      throw new InvalidSagaDefinitionError(
        this.name,
        `step "${name}" has compensateOnFailure but no compensate method.`,
      );
    }
    const definition: StepDefinition = {
      name,
      ref: step as StepRef<AnyStep>,
      compensable,
      compensateOnFailure: stepOptions.compensateOnFailure ?? false,
      run: this.resolve(name, stepOptions, RUN_DEFAULTS),
      compensation: this.resolve(`${name}.compensation`, stepOptions.compensation ?? {}, COMPENSATION_DEFAULTS),
    };
    return new SagaBuilder(this.name, this.version, this.input, [...this.steps, definition]);
  }

  build(): SagaDefinition<I, O> {
    if (this.steps.length === 0) {
      throw new InvalidSagaDefinitionError(this.name, 'it has no steps.');
    }
    return { name: this.name, version: this.version, input: this.input, steps: this.steps };
  }

  private resolve(where: string, options: PhaseOptions, defaults: ResolvedPhaseOptions): ResolvedPhaseOptions {
    const attempts = options.retry?.attempts ?? defaults.attempts;
    if (!Number.isInteger(attempts) || attempts < 1) {
      throw new InvalidSagaDefinitionError(this.name, `${where}: retry.attempts must be a positive integer.`);
    }
    const timeoutMs = options.timeout === undefined ? defaults.timeoutMs : toMilliseconds(options.timeout);
    if (timeoutMs === undefined || timeoutMs < 1) {
      throw new InvalidSagaDefinitionError(this.name, `${where}: timeout must be a positive duration such as '5s'.`);
    }
    return { attempts, backoff: this.resolveBackoff(where, options.retry?.backoff, defaults), timeoutMs };
  }

  private resolveBackoff(
    where: string,
    backoff: RetryOptions['backoff'],
    defaults: ResolvedPhaseOptions,
  ): ResolvedPhaseOptions['backoff'] {
    if (backoff === undefined) return defaults.backoff;
    const { type, delay } = typeof backoff === 'object' ? backoff : { type: 'fixed' as const, delay: backoff };
    const delayMs = toMilliseconds(delay);
    if (delayMs === undefined || (type !== 'fixed' && type !== 'exponential')) {
      throw new InvalidSagaDefinitionError(
        this.name,
        `${where}: retry.backoff must be a duration or { type: 'fixed' | 'exponential', delay }.`,
      );
    }
    return { type, delayMs };
  }
}

function hasCompensation(step: StepRef<SagaStep<never, unknown>>): boolean {
  const target: unknown = typeof step === 'function' ? step.prototype : step;
  return typeof (target as { compensate?: unknown }).compensate === 'function';
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
 * @publicApi
 */
export function defineSaga<I extends object>(
  name: string,
  options: { version?: number; input: Constructor<I> },
): SagaBuilder<I, {}> {
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
  return SagaBuilder.create(name, version, options.input);
}
