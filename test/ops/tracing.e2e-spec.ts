import { randomBytes } from 'node:crypto';
import * as amqp from 'amqplib';
import { SagaKeys, childSagaId, type PublishResult } from '@sagaflow/core';
import { order } from '../checkout/order.fixture';
import { transfer, waitForSaga } from '../faults/transfer.fixture';
import { SagaflowSystem } from '../support/apps';
import { connect } from '../support/redis';
import { waitFor } from '../support/wait-for';
import { OtlpCollector, type ReceivedSpan } from './otlp-collector.fixture';

/** A W3C trace context of a caller's span: the trace the saga must join. */
function callerContext(): { traceId: string; spanId: string; traceparent: string } {
  const [traceId, spanId] = [randomBytes(16).toString('hex'), randomBytes(8).toString('hex')];
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

/** A span as a line: its name, attempt and outcome. */
const describeSpan = (span: ReceivedSpan) =>
  [span.name, span.attributes['sagaflow.step.attempt'] ?? '-', span.attributes['sagaflow.outcome']].join(' ');

/**
 * Tracing over the built API and worker processes, exporting to a collector of the test's own through the
 * standard OpenTelemetry environment.
 */
describe('OpenTelemetry tracing', () => {
  describe('when the OTEL environment names a collector', () => {
    let collector: OtlpCollector;
    let system: SagaflowSystem;
    // The worker also consumes events from a Redis stream and from RabbitMQ, whose messages carry trace headers.
    const rabbit = { exchange: `tracing-${randomBytes(4).toString('hex')}`, queue: '' };
    rabbit.queue = `${rabbit.exchange}.in`;

    beforeAll(async () => {
      collector = await OtlpCollector.start();
      system = await SagaflowSystem.start({
        env: {
          OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
          OTEL_BSP_SCHEDULE_DELAY: '100',
          SAGAFLOW_SOURCES: 'redis-stream,rabbitmq',
          SAGAFLOW_RABBITMQ_EXCHANGE: rabbit.exchange,
          SAGAFLOW_RABBITMQ_QUEUE: rabbit.queue,
          SAGAFLOW_RABBITMQ_ROUTING_KEYS: 'order.*',
        },
      });
    });
    afterAll(async () => {
      await system?.stop();
      await collector?.stop();
      const connection = await amqp.connect('amqp://guest:guest@127.0.0.1:5672');
      const channel = await connection.createChannel();
      for (const queue of [rabbit.queue, `${rabbit.queue}.dlq`]) await channel.deleteQueue(queue);
      for (const exchange of [rabbit.exchange, `${rabbit.queue}.dlx`]) await channel.deleteExchange(exchange);
      await connection.close();
    });

    /** Waits until the saga's spans number `count`, then gives them oldest first. */
    function sagaSpans(sagaId: string, count: number): Promise<ReceivedSpan[]> {
      return waitFor(
        async () => collector.spansWith('sagaflow.saga.id', sagaId),
        (found) => found.length >= count,
        { timeoutMs: 15_000, intervalMs: 100 },
      );
    }

    it("makes one trace of a compensated transfer under the request's span: the start, each attempt of each step and compensation", async () => {
      const caller = callerContext();
      // flaky-1 is given back on the third attempt of its compensation; closed-1 refuses the credit for good.
      const { status, body } = await system.request<{ id: string }>(
        'POST',
        '/sagas/transfer',
        transfer({ fromAccount: 'flaky-1', toAccount: 'closed-1' }),
        { traceparent: caller.traceparent, tracestate: 'caller=1' },
      );
      expect(status).toBe(202);
      expect((await waitForSaga(system, body.id)).status).toBe('compensated');

      const spans = await sagaSpans(body.id, 7);
      expect(spans.map(describeSpan)).toEqual([
        'saga.start transfer - succeeded',
        'saga.step transfer.debitSource 1 succeeded',
        'saga.step transfer.creditDestination 1 failed',
        'saga.compensate transfer.creditDestination 1 succeeded',
        'saga.compensate transfer.debitSource 1 failed',
        'saga.compensate transfer.debitSource 2 failed',
        'saga.compensate transfer.debitSource 3 succeeded',
      ]);
      const [start, ...attempts] = spans;
      expect(spans.every((span) => span.traceId === caller.traceId)).toBe(true);
      expect(start).toMatchObject({ parentSpanId: caller.spanId, service: 'sagaflow-api' });
      for (const attempt of attempts) {
        expect(attempt).toMatchObject({ parentSpanId: start.spanId, service: 'sagaflow-worker' });
        expect(attempt.attributes).toMatchObject({ 'sagaflow.saga.name': 'transfer', 'sagaflow.saga.version': 1 });
        expect(attempt.status).toBe(attempt.attributes['sagaflow.outcome'] === 'failed' ? 2 : 0);
      }
      expect(attempts[1].attributes).toMatchObject({
        'sagaflow.step.name': 'creditDestination',
        'sagaflow.step.phase': 'run',
        'error.type': 'AccountClosedError',
      });
    });

    it('gives a saga started without a trace context a new trace of its own', async () => {
      const { body } = await system.request<{ id: string }>('POST', '/sagas/transfer', transfer());
      expect((await waitForSaga(system, body.id)).status).toBe('completed');

      const [start, ...steps] = await sagaSpans(body.id, 3);
      expect(start.name).toBe('saga.start transfer');
      expect(start.parentSpanId).toBeUndefined();
      for (const step of steps) expect(step).toMatchObject({ traceId: start.traceId, parentSpanId: start.spanId });
    });

    it('continues the trace of a published event in the saga it starts', async () => {
      const caller = callerContext();
      const published = await system.request<PublishResult>(
        'POST',
        '/events',
        { type: 'order.placed', payload: order() },
        { traceparent: caller.traceparent },
      );
      expect(published.status).toBe(202);
      const [checkout] = published.body.started;
      await waitForSaga(system, checkout, (saga) => saga.status === 'waiting');

      // reserveInventory, chargePayment and createShipment ran before the saga waits for its delivery.
      const [start, ...steps] = await sagaSpans(checkout, 4);
      expect(start).toMatchObject({
        name: 'saga.start checkout',
        traceId: caller.traceId,
        parentSpanId: caller.spanId,
      });
      for (const step of steps) expect(step).toMatchObject({ traceId: caller.traceId, parentSpanId: start.spanId });
    });

    it("continues the trace in a broker message's headers: a Redis stream entry's fields, a RabbitMQ message's headers", async () => {
      const checkoutOf = (orderId: string) =>
        waitFor(
          () => system.request<{ items: { id: string }[] }>('GET', `/sagas?key=${orderId}&name=checkout`),
          (page) => page.body.items.length === 1,
        ).then((page) => page.body.items[0].id);
      const fromStream = { caller: callerContext(), input: order() };
      const redis = connect();
      await redis.xadd(
        `${system.prefix}:events-in`,
        '*',
        'event',
        JSON.stringify({ type: 'order.placed', key: fromStream.input.orderId, payload: fromStream.input }),
        'traceparent',
        fromStream.caller.traceparent,
      );
      await redis.quit();
      const fromRabbit = { caller: callerContext(), input: order() };
      const connection = await amqp.connect('amqp://guest:guest@127.0.0.1:5672');
      const channel = await connection.createConfirmChannel();
      channel.publish(
        rabbit.exchange,
        'order.placed',
        Buffer.from(JSON.stringify({ type: 'order.placed', key: fromRabbit.input.orderId, payload: fromRabbit.input })),
        { messageId: `rabbit-${fromRabbit.input.orderId}`, headers: { traceparent: fromRabbit.caller.traceparent } },
      );
      await channel.waitForConfirms();
      await connection.close();

      for (const { caller, input } of [fromStream, fromRabbit]) {
        const [start] = await sagaSpans(await checkoutOf(input.orderId), 1);
        expect(start).toMatchObject({
          name: 'saga.start checkout',
          traceId: caller.traceId,
          parentSpanId: caller.spanId,
        });
      }
    });

    it("continues a parent saga's trace in its child", async () => {
      const caller = callerContext();
      const flights = async () => (await system.request<{ flights: unknown[] }>('GET', '/demo/travel')).body.flights;
      await waitFor(flights, (listed) => listed.length > 0);
      const trip = { tripId: `trip-${randomBytes(4).toString('hex')}`, travellerAccount: 'acct-alice' };
      const { body } = await system.request<{ id: string }>(
        'POST',
        '/sagas/trip',
        { ...trip, flight: 'SF-101', hotel: 'hotel-harbour', nights: 2, priceCents: 10_000 },
        { traceparent: caller.traceparent },
      );
      expect((await waitForSaga(system, body.id)).status).toBe('completed');

      const [childStart, ...childSteps] = await sagaSpans(childSagaId(body.id, 'pay'), 3);
      expect(childStart).toMatchObject({ name: 'saga.start transfer', traceId: caller.traceId });
      for (const step of childSteps) expect(step.traceId).toBe(caller.traceId);
      const parentSpans = collector.spansWith('sagaflow.saga.id', body.id);
      expect(parentSpans.every((span) => span.traceId === caller.traceId)).toBe(true);
    });

    it('stores the context the steps continue with the saga, in its hash', async () => {
      const { body } = await system.request<{ id: string }>('POST', '/sagas/transfer', transfer());
      const redis = connect(system.env.REDIS_URL);
      const stored = await redis.hget(new SagaKeys(system.prefixes).state(body.id), 'trace');
      await redis.quit();
      expect(JSON.parse(stored as string)).toEqual({
        traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/),
      });
      await waitForSaga(system, body.id);
    });
  });

  describe('when the OTEL environment turns the SDK off', () => {
    let collector: OtlpCollector;
    let system: SagaflowSystem;

    beforeAll(async () => {
      collector = await OtlpCollector.start();
      system = await SagaflowSystem.start({
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_SDK_DISABLED: 'true', OTEL_BSP_SCHEDULE_DELAY: '100' },
      });
    });
    afterAll(async () => {
      await system?.stop();
      await collector?.stop();
    });

    it('exports nothing and stores no trace context, even for a request that carries one', async () => {
      const { body } = await system.request<{ id: string }>('POST', '/sagas/transfer', transfer(), {
        traceparent: callerContext().traceparent,
      });
      expect((await waitForSaga(system, body.id)).status).toBe('completed');
      const redis = connect(system.env.REDIS_URL);
      expect(await redis.hexists(new SagaKeys(system.prefixes).state(body.id), 'trace')).toBe(0);
      await redis.quit();

      // Well past the batch delay a traced process would have exported within.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(collector.requests).toBe(0);
    });
  });
});
