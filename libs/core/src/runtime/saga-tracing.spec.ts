import { context, propagation, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { defineSaga } from '../definition/define-saga';
import type { TraceCarrier } from '../store/transition';
import type { ObservedAttempt } from './attempt-observer';
import { SagaTracing } from './saga-tracing';

class Input {}
const saga = defineSaga('order', { version: 3, input: Input })
  .step('reserve', { run: async () => ({}) })
  .build();
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const REQUEST_SPAN = 'b7ad6b7169203331';
const request = { traceparent: `00-${TRACE_ID}-${REQUEST_SPAN}-01`, tracestate: 'vendor=1' };

describe('SagaTracing', () => {
  it('is not made while no OpenTelemetry SDK is registered', () => {
    expect(SagaTracing.ifRegistered()).toBeUndefined();
  });

  describe('with an SDK registered', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    let tracing: SagaTracing;

    beforeAll(() => {
      context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
      propagation.setGlobalPropagator(new W3CTraceContextPropagator());
      trace.setGlobalTracerProvider(provider);
      tracing = SagaTracing.ifRegistered() as SagaTracing;
    });
    afterEach(() => exporter.reset());
    afterAll(() => provider.shutdown());

    const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
    const attempt = (trace: TraceCarrier, overrides: Partial<ObservedAttempt> = {}): ObservedAttempt => ({
      sagaId: 'saga-1',
      saga: 'order',
      version: 3,
      step: 'reserve',
      phase: 'run',
      attempt: 1,
      trace,
      ...overrides,
    });

    it('makes the start a span of the incoming trace and stores a context naming that span', async () => {
      let stored: TraceCarrier = {};
      await tracing.start(saga, 'saga-1', request, async (carrier) => (stored = carrier));

      const [start] = spans();
      expect(start.name).toBe('saga.start order');
      expect(start.spanContext().traceId).toBe(TRACE_ID);
      expect(start.parentSpanContext?.spanId).toBe(REQUEST_SPAN);
      expect(start.attributes).toMatchObject({
        'sagaflow.saga.id': 'saga-1',
        'sagaflow.saga.name': 'order',
        'sagaflow.saga.version': 3,
        'sagaflow.outcome': 'succeeded',
      });
      expect(stored).toEqual({
        traceparent: `00-${TRACE_ID}-${start.spanContext().spanId}-01`,
        tracestate: 'vendor=1',
      });
    });

    it('starts a new trace for a start without an incoming one', async () => {
      await tracing.start(saga, 'saga-1', undefined, async () => undefined);

      const [start] = spans();
      expect(start.parentSpanContext).toBeUndefined();
      expect(start.spanContext().traceId).not.toBe(TRACE_ID);
    });

    it("makes an attempt a child span of the stored context, and the parent of the step's own spans", async () => {
      await tracing.observe(attempt(request, { phase: 'compensate', attempt: 2 }), async () => {
        const span = trace.getTracer('step').startSpan('inside the step');
        span.end();
      });

      const step = spans().find((span) => span.name === 'saga.compensate order.reserve') as ReadableSpan;
      expect(step.spanContext().traceId).toBe(TRACE_ID);
      expect(step.parentSpanContext?.spanId).toBe(REQUEST_SPAN);
      expect(step.attributes).toMatchObject({
        'sagaflow.step.name': 'reserve',
        'sagaflow.step.phase': 'compensate',
        'sagaflow.step.attempt': 2,
        'sagaflow.outcome': 'succeeded',
      });
      expect(step.status.code).toBe(SpanStatusCode.UNSET);
      expect(spans().find((span) => span.name === 'inside the step')?.parentSpanContext?.spanId).toBe(
        step.spanContext().spanId,
      );
    });

    it('ends a failed attempt with an error status and the exception, and rethrows it', async () => {
      const failure = Object.assign(new TypeError('card declined'), { code: 'X' });
      await expect(tracing.observe(attempt(request), () => Promise.reject(failure))).rejects.toBe(failure);

      const [step] = spans();
      expect(step.name).toBe('saga.step order.reserve');
      expect(step.status).toEqual({ code: SpanStatusCode.ERROR, message: 'card declined' });
      expect(step.attributes).toMatchObject({ 'sagaflow.outcome': 'failed', 'error.type': 'TypeError' });
      expect(step.events.map((event) => event.name)).toEqual(['exception']);
    });
  });
});
