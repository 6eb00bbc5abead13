import { InvalidSagaDefinitionError } from '../errors/invalid-saga-definition.error';
import { toMilliseconds } from './duration';
import { NAME_PATTERN } from './patterns';
import type { AnyStep, StepDefinition, StepRef } from './saga-definition';
import type { SagaStep, StepContext } from './saga-step';
import type { PhaseOptions, ResolvedPhaseOptions, RetryOptions, StepOptions } from './step-options';

const RUN_DEFAULTS: ResolvedPhaseOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delayMs: 1_000 },
  timeoutMs: 60_000,
};
const COMPENSATION_DEFAULTS: ResolvedPhaseOptions = { ...RUN_DEFAULTS, attempts: 10 };

/** The pool of steps that name none: served by every worker process unless told otherwise. @publicApi */
export const DEFAULT_POOL = 'default';

/** The phase options of a wait or sleep: one attempt, since a wait does not fail by itself. */
export const WAIT_PHASE: ResolvedPhaseOptions = { ...RUN_DEFAULTS, attempts: 1 };

/**
 * The phases of a child step: its run starts the child (retried like a step's when Redis fails it) and waits; its
 * compensation undoes the child, waiting for it to be compensated for up to its timeout per attempt.
 */
export const CHILD_PHASES: Pick<StepDefinition, 'run' | 'compensation'> = {
  run: RUN_DEFAULTS,
  compensation: { ...COMPENSATION_DEFAULTS, timeoutMs: 5 * 60_000 },
};

export type StepInput<S> = S extends { run(data: infer In, ctx: StepContext): Promise<unknown> } ? In : never;
export type StepOutput<S> = S extends { run(data: never, ctx: StepContext): Promise<infer Out> } ? Out : never;

/**
 * Runs a step only when `when` holds for the saga's data when the step is reached; otherwise the step is skipped:
 * not run, not compensated, and its output is `undefined` for the steps after it.
 * @publicApi
 */
export interface StepCondition<D> {
  when?: (data: D) => boolean;
}

/**
 * Stands in the argument list when a step needs data the earlier steps do not provide, so the compiler names
 * the step at fault.
 */
export interface StepDataNotAvailable<N extends string> {
  readonly error: `step "${N}" needs outputs of steps that do not run before it`;
}

/** The signals a step reads in `ctx.signals`, with their payload types, by name. */
export type StepSignals<S> = S extends { run(data: never, ctx: StepContext<infer G>): Promise<unknown> } ? G : {};

/** Stands in the argument list when a step reads signals the saga does not declare, or with other payloads. */
export interface StepSignalsNotDeclared<N extends string> {
  readonly error: `step "${N}" reads signals the saga does not declare`;
}

/**
 * The options argument of a step given data `D` and the saga's signals `G`: a step that needs more than `D`, or
 * reads a signal not in `G`, does not compile.
 */
export type StepOptionsFor<N extends string, S, D, G = {}> =
  D extends StepInput<S>
    ? G extends StepSignals<S>
      ? [options?: StepOptions & StepCondition<D>]
      : [options: (StepOptions & StepCondition<D>) | undefined, mismatch: StepSignalsNotDeclared<N>]
    : [options: (StepOptions & StepCondition<D>) | undefined, mismatch: StepDataNotAvailable<N>];

/** Checks a step of saga `sagaName` and its options, with every default applied. */
export function buildStep(
  sagaName: string,
  name: string,
  step: StepRef<SagaStep<never, unknown>>,
  options: StepOptions & StepCondition<never> = {},
): StepDefinition {
  const compensable = hasCompensation(step);
  if (options.pool !== undefined && !NAME_PATTERN.test(options.pool)) {
    throw new InvalidSagaDefinitionError(
      sagaName,
      `step "${name}": pool "${options.pool}" must match ${NAME_PATTERN}.`,
    );
  }
  if (options.compensateOnFailure && !compensable) {
    throw new InvalidSagaDefinitionError(sagaName, `step "${name}" has compensateOnFailure but no compensate method.`);
  }
  return {
    name,
    ref: step as StepRef<AnyStep>,
    compensable,
    compensateOnFailure: options.compensateOnFailure ?? false,
    ...(options.when && { when: options.when as StepDefinition['when'] }),
    ...(options.pool && options.pool !== DEFAULT_POOL && { pool: options.pool }),
    run: resolvePhase(sagaName, name, options, RUN_DEFAULTS),
    compensation: resolvePhase(sagaName, `${name}.compensation`, options.compensation ?? {}, COMPENSATION_DEFAULTS),
  };
}

function hasCompensation(step: StepRef<SagaStep<never, unknown>>): boolean {
  const target: unknown = typeof step === 'function' ? step.prototype : step;
  return typeof (target as { compensate?: unknown }).compensate === 'function';
}

function resolvePhase(
  sagaName: string,
  where: string,
  options: PhaseOptions,
  defaults: ResolvedPhaseOptions,
): ResolvedPhaseOptions {
  const attempts = options.retry?.attempts ?? defaults.attempts;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new InvalidSagaDefinitionError(sagaName, `${where}: retry.attempts must be a positive integer.`);
  }
  const timeoutMs = options.timeout === undefined ? defaults.timeoutMs : toMilliseconds(options.timeout);
  if (timeoutMs === undefined || timeoutMs < 1) {
    throw new InvalidSagaDefinitionError(sagaName, `${where}: timeout must be a positive duration such as '5s'.`);
  }
  return { attempts, backoff: resolveBackoff(sagaName, where, options.retry?.backoff, defaults), timeoutMs };
}

function resolveBackoff(
  sagaName: string,
  where: string,
  backoff: RetryOptions['backoff'],
  defaults: ResolvedPhaseOptions,
): ResolvedPhaseOptions['backoff'] {
  if (backoff === undefined) return defaults.backoff;
  const { type, delay } = typeof backoff === 'object' ? backoff : { type: 'fixed' as const, delay: backoff };
  const delayMs = toMilliseconds(delay);
  if (delayMs === undefined || (type !== 'fixed' && type !== 'exponential')) {
    throw new InvalidSagaDefinitionError(
      sagaName,
      `${where}: retry.backoff must be a duration or { type: 'fixed' | 'exponential', delay }.`,
    );
  }
  return { type, delayMs };
}
