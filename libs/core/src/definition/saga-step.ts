/**
 * A signal a saga received (see `POST /sagas/:id/signals/:name`), as steps and queries see it.
 * @typeParam P - the payload's type, declared by the saga's definition
 * @publicApi
 */
export interface ReceivedSignal<P = Record<string, unknown>> {
  /** The saga's count of signals so far, all names together: 1 for its first signal. */
  readonly seq: number;
  /** When Redis recorded it, as an ISO time. */
  readonly at: string;
  readonly payload: P;
}

/**
 * The signals a saga has received, oldest first, by name: an empty list for a name not received yet.
 * @typeParam G - the payload type of each signal the definition declares, by name
 * @publicApi
 */
export type SignalsView<G> = { readonly [K in keyof G]: readonly ReceivedSignal<G[K]>[] };

/**
 * What every attempt of a step or compensation receives besides the saga's data.
 * @typeParam G - the signals the step reads, by name, with their payload types: the saga must declare them
 * @publicApi
 */
export interface StepContext<G extends object = {}> {
  readonly sagaId: string;
  readonly sagaName: string;
  readonly step: string;
  /** 1 for the first attempt of this run (or compensation), 2 for its first retry, … */
  readonly attempt: number;
  /**
   * The same on every attempt and every redelivery of this step's run in this saga (and, separately, of its
   * compensation). Pass it to the systems you call so that a repeated call has no second effect.
   */
  readonly idempotencyKey: string;
  /** The idempotency key of this step's run, in its compensation too: what a compensation looks the run up by. */
  readonly runIdempotencyKey: string;
  /** Aborted when the attempt times out or the worker shuts down: pass it on to I/O so the work really stops. */
  readonly signal: AbortSignal;
  /**
   * The signals the saga had received when the attempt began, by name (see `defineSaga`'s `signals`). Read once
   * per attempt, and only for a saga whose definition declares signals.
   */
  readonly signals: SignalsView<G>;
}

/**
 * The data a step receives: the saga's validated input and the outputs of the steps before it, by step name.
 * @typeParam I - the saga's input type
 * @typeParam O - the outputs of the earlier steps
 * @publicApi
 */
export interface SagaData<I, O> {
  readonly input: I;
  readonly outputs: O;
}

/**
 * One step of a saga. Implement it as a Nest provider (a class with `run` and, when the step has an effect to
 * undo, `compensate` as methods) or as a plain object.
 *
 * Both methods run at least once per attempt, so their side effects must be idempotent: use
 * `ctx.idempotencyKey`. A step without `compensate` is not undone when a later step fails.
 *
 * @typeParam In - the data the step needs, usually `SagaData<Input, { earlierStep: Output }>`
 * @typeParam Out - the step's output; it is persisted as JSON, so keep it plain data
 * @publicApi
 */
export interface SagaStep<In, Out> {
  run(data: In, ctx: StepContext): Promise<Out>;
  compensate?(data: In, output: Out, ctx: StepContext): Promise<void>;
}
