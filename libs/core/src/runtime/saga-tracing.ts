import {
  context,
  propagation,
  ProxyTracerProvider,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import type { SagaDefinition } from '../definition/saga-definition';
import type { TraceCarrier } from '../store/transition';
import type { AttemptObserver, ObservedAttempt } from './attempt-observer';

const TRACER_NAME = '@sagaflow/core';

/**
 * The saga's trace: a `saga.start <saga>` span for each start, and a `saga.step <saga>.<step>` or
 * `saga.compensate <saga>.<step>` span for each attempt, child of the start's context as the saga stores it, so
 * that a saga's spans make one trace across the processes that move it, continuing the trace of what started it.
 * Made only when an OpenTelemetry SDK is registered ({@link SagaTracing.ifRegistered}): without one, nothing of
 * this runs.
 */
export class SagaTracing implements AttemptObserver {
  constructor(private readonly tracer: Tracer) {}

  /**
   * A tracing of the registered SDK's tracer, or `undefined` when no SDK is registered (the API's no-op), so that
   * callers skip tracing at no cost. Asked once, when the client or the executor is made: start the SDK first.
   */
  static ifRegistered(): SagaTracing | undefined {
    const provider = trace.getTracerProvider();
    // The API's global provider is a proxy until an SDK registers its own behind it; only the proxy can tell
    // whether one has (another copy of the API's proxy, or a provider set some other way, is taken as real).
    const tracer =
      provider instanceof ProxyTracerProvider
        ? provider.getDelegateTracer(TRACER_NAME)
        : provider.getTracer(TRACER_NAME);
    return tracer && new SagaTracing(tracer);
  }

  /**
   * Runs a start in its span, a child of `parent` (else of the active context: a new trace without one); `start`
   * receives the context to store with the saga.
   */
  async start<T>(
    definition: SagaDefinition,
    sagaId: string,
    parent: TraceCarrier | undefined,
    start: (stored: TraceCarrier) => Promise<T>,
  ): Promise<T> {
    const parentContext = parent ? propagation.extract(context.active(), parent) : context.active();
    const span = this.tracer.startSpan(
      `saga.start ${definition.name}`,
      { kind: SpanKind.PRODUCER, attributes: sagaAttributes(sagaId, definition.name, definition.version) },
      parentContext,
    );
    const stored: Record<string, string> = {};
    propagation.inject(trace.setSpan(parentContext, span), stored);
    return settle(span, () => start(stored));
  }

  /** Runs an attempt in its span, active meanwhile so that the step's own spans are its children. */
  observe<T>(attempt: ObservedAttempt, run: () => Promise<T>): Promise<T> {
    const parent: Context = attempt.trace ? propagation.extract(ROOT_CONTEXT, attempt.trace) : context.active();
    const name = `saga.${attempt.phase === 'run' ? 'step' : 'compensate'} ${attempt.saga}.${attempt.step}`;
    const attributes = {
      ...sagaAttributes(attempt.sagaId, attempt.saga, attempt.version),
      'sagaflow.step.name': attempt.step,
      'sagaflow.step.phase': attempt.phase,
      'sagaflow.step.attempt': attempt.attempt,
    };
    return this.tracer.startActiveSpan(name, { kind: SpanKind.CONSUMER, attributes }, parent, (span) =>
      settle(span, run),
    );
  }
}

function sagaAttributes(sagaId: string, name: string, version: number): Attributes {
  return { 'sagaflow.saga.id': sagaId, 'sagaflow.saga.name': name, 'sagaflow.saga.version': version };
}

/** Ends the span with the outcome of `work`: `succeeded`, or `failed` with the error recorded. */
async function settle<T>(span: Span, work: () => Promise<T>): Promise<T> {
  try {
    const result = await work();
    span.setAttribute('sagaflow.outcome', 'succeeded');
    return result;
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    span.setAttributes({ 'sagaflow.outcome': 'failed', 'error.type': failure.name });
    span.recordException(failure);
    span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
    throw error;
  } finally {
    span.end();
  }
}
