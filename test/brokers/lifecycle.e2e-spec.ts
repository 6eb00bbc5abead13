import {
  LIFECYCLE_SCHEMA_VERSION,
  LifecycleFeed,
  LifecycleOutbox,
  LifecycleRelay,
  PermanentError,
  RedisStreamEventSink,
  defineSaga,
  type SagaLifecycleEvent,
} from '@sagaflow/core';
import { firstValueFrom, take, toArray } from 'rxjs';
import { Engine, Input, recordingStep, silent } from '../engine/engine.fixture';
import { waitFor } from '../support/wait-for';

const fast = { retry: { attempts: 2, backoff: 10 }, compensation: { retry: { attempts: 2, backoff: 10 } } };
const shape = (events: SagaLifecycleEvent[]) => events.map((event) => [event.type, event.step ?? '', event.status]);

describe('lifecycle events', () => {
  let engine: Engine;
  let outbox: LifecycleOutbox;
  afterEach(() => engine.close());

  function start(steps: { failAt?: string; flaky?: string } = {}) {
    let flakyFailures = 1;
    const step = (name: string) =>
      recordingStep([], name, {
        run: async () => {
          if (name === steps.failAt) throw new PermanentError(`${name} refused`);
          if (name === steps.flaky && flakyFailures-- > 0) throw new Error('busy');
          return { done: name };
        },
      });
    engine = new Engine(
      defineSaga('order', { input: Input }).step('a', step('a'), fast).step('b', step('b'), fast).build(),
    );
    outbox = new LifecycleOutbox(engine.redis, engine.store.keys);
  }

  it('writes what a saga does to the outbox, in order, once, in the same transitions', async () => {
    start({ flaky: 'b' });
    const saga = await engine.runToEnd();
    const events = await outbox.after(0, '0', 100);

    expect(shape(events)).toEqual([
      ['saga.started', '', 'running'],
      ['saga.step.succeeded', 'a', 'running'],
      // b's first attempt failed and was retried: no news
      ['saga.step.succeeded', 'b', 'running'],
      ['saga.completed', '', 'completed'],
    ]);
    expect(events.every((event) => event.sagaId === saga.id && event.saga === 'order')).toBe(true);
    expect(events.every((event) => event.schemaVersion === LIFECYCLE_SCHEMA_VERSION)).toBe(true);
    expect(events[2]).toMatchObject({ attempt: 2 });
    expect(events.map((event) => event.at)).toEqual(
      saga.history
        .filter((entry) => ['saga.started', 'step.succeeded', 'saga.completed'].includes(entry.type))
        .map((entry) => entry.at),
    );
  });

  it('tells of a step failed for good and of the compensation', async () => {
    start({ failAt: 'b' });
    await engine.runToEnd();

    const events = await outbox.after(0, '0', 100);
    expect(shape(events)).toEqual([
      ['saga.started', '', 'running'],
      ['saga.step.succeeded', 'a', 'running'],
      ['saga.step.failed', 'b', 'running'],
      ['saga.compensating', '', 'compensating'],
      ['saga.compensated', '', 'compensated'],
    ]);
    expect(events[2].error).toMatchObject({ message: 'b refused' });
  });

  it('relays the outbox to a sink in order, and a second relay goes on where the first stood', async () => {
    start();
    const sinkStream = `${engine.prefixes[0]}:out`;
    const sink = new RedisStreamEventSink(engine.redis, { stream: sinkStream });
    const relay = () => new LifecycleRelay(engine.redis, engine.store.keys, outbox, [sink], silent, { batchSize: 3 });
    await engine.runToEnd({ orderId: 'o-1' });

    const first = relay();
    expect(await first.relayOnce()).toBe(3);
    await first.stop();
    await engine.runToEnd({ orderId: 'o-2' });
    const second = relay();
    while ((await second.relayOnce()) > 0);
    await second.stop();

    const published = (await engine.redis.xrange(sinkStream, '-', '+')).map(
      ([, fields]) => JSON.parse(fields[1]) as SagaLifecycleEvent,
    );
    expect(published.map((event) => event.id)).toEqual((await outbox.after(0, '0', 100)).map((event) => event.id));
    expect(published).toHaveLength(8);
  });

  it('streams one saga from its start to its end, and every saga live', async () => {
    start();
    const feed = new LifecycleFeed(engine.redis, outbox);
    const live = firstValueFrom(feed.events$.pipe(take(4), toArray()));
    await new Promise((resolve) => setTimeout(resolve, 200)); // the shared reader takes its position
    const { id } = await engine.client.start('order', { orderId: 'o-3' });
    await engine.waitUntilFinished(id);

    // From the saga's start, after it has ended: the past, then completion.
    const replay = await firstValueFrom(feed.saga(id, '0').pipe(toArray()));
    expect(replay.map((event) => event.type)).toEqual([
      'saga.started',
      'saga.step.succeeded',
      'saga.step.succeeded',
      'saga.completed',
    ]);
    expect((await live).map((event) => event.id)).toEqual(replay.map((event) => event.id));
  });

  it('streams a saga that is still running: past events first, then the rest as they happen', async () => {
    engine = new Engine(
      defineSaga('slow', { input: Input })
        .step('a', recordingStep([], 'a'), fast)
        .step(
          'b',
          recordingStep([], 'b', { run: () => new Promise((resolve) => setTimeout(() => resolve({}), 800)) }),
          fast,
        )
        .build(),
    );
    outbox = new LifecycleOutbox(engine.redis, engine.store.keys);
    const feed = new LifecycleFeed(engine.redis, outbox);
    const { id } = await engine.client.start('slow', { orderId: 'o-4' });
    await waitFor(
      () => engine.client.get(id),
      (saga) => saga.steps[1].status === 'running',
    );
    const events = await firstValueFrom(feed.saga(id, '0').pipe(toArray()));
    expect(events.map((event) => event.type)).toEqual([
      'saga.started',
      'saga.step.succeeded',
      'saga.step.succeeded',
      'saga.completed',
    ]);
  });
});
