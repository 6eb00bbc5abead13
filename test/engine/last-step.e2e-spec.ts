import type { EventEmitter } from 'node:events';
import { QueueEvents } from 'bullmq';
import { defineSaga, type SagaStatus } from '@sagaflow/core';
import { commandsDuring } from '../support/redis';
import { waitFor } from '../support/wait-for';
import { Engine, Input, recordingStep } from './engine.fixture';

/**
 * A saga's last step records its success as its job ends (the job's finish follows the transition on the same
 * connection), and what follows it runs after the job: these pin down what that keeps.
 */
describe('the last step of a saga, recorded as its job ends', () => {
  let engine: Engine | undefined;
  let listeners: QueueEvents[] = [];
  afterEach(async () => {
    await Promise.all(listeners.map((listener) => listener.close()));
    await engine?.close();
    engine = undefined;
    listeners = [];
  });

  /** A three-step saga whose last step waits until `release` is called. */
  function gatedSaga(calls: string[]) {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const saga = defineSaga('gated', { input: Input })
      .step('reserve', recordingStep(calls, 'reserve'))
      .step('charge', recordingStep(calls, 'charge'))
      .step('ship', recordingStep(calls, 'ship', { run: () => gate.then(() => ({ shipped: true })) }))
      .build();
    return { saga, release: () => release() };
  }

  const statusOf = async (id: string): Promise<SagaStatus> => (await engine!.client.get(id)).status;

  /**
   * Resolves once `listener` reads its queue's event stream, so that no later event passes it by: ready, a
   * QueueEvents may not have sent its first read yet (a completion added meanwhile was missed, on a loaded cluster).
   * A probe event is added to the stream until the listener reports it.
   */
  async function listening(listener: QueueEvents, { redis }: Engine): Promise<void> {
    await listener.waitUntilReady();
    let heard = false;
    // An event name of its own, which QueueEvents emits as it reads it (its typings list BullMQ's alone).
    (listener as unknown as EventEmitter).once('sagaflow-probe', () => (heard = true));
    while (!heard) {
      await redis.xadd(listener.keys.events, '*', 'event', 'sagaflow-probe');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('has the saga completed in Redis by the time BullMQ reports its job completed', async () => {
    const calls: string[] = [];
    engine = new Engine(
      defineSaga('quick', { input: Input })
        .step('a', recordingStep(calls, 'a'))
        .step('b', recordingStep(calls, 'b'))
        .build(),
    );
    // Listening on every shard's queue before the start: the saga's shard is known only then.
    listeners = engine.prefixes.map(
      (prefix) => new QueueEvents('saga-quick', { connection: engine!.redis.duplicate(), prefix }),
    );
    await Promise.all(listeners.map((listener) => listening(listener, engine!)));
    const seenAtCompletion: SagaStatus[] = [];
    let id = '';
    for (const listener of listeners) {
      listener.on('completed', () => void statusOf(id).then((status) => seenAtCompletion.push(status)));
    }
    ({ id } = await engine.client.start('quick', { orderId: 'o-1' }));
    expect(engine.queueOf('quick', id).name).toBe('saga-quick');

    await engine.waitUntilFinished(id);
    await waitFor(
      async () => seenAtCompletion.length,
      (count) => count > 0,
    );
    expect(seenAtCompletion).toEqual(['completed']);
    const saga = await engine.client.get(id);
    expect(saga.steps.map((step) => [step.name, step.status, step.attempts])).toEqual([
      ['a', 'succeeded', 1],
      ['b', 'succeeded', 1],
    ]);
  });

  it('compensates every step, newest first, when a cancellation comes while the last step runs', async () => {
    const calls: string[] = [];
    const { saga, release } = gatedSaga(calls);
    engine = new Engine(saga);
    const { id } = await engine.client.start('gated', { orderId: 'o-1' });
    await waitFor(
      async () => calls,
      (made) => made.some((call) => call.startsWith('run ship')),
    );

    await engine.client.cancel(id, 'customer changed their mind');
    release();

    const ended = await engine.waitUntilFinished(id);
    expect(ended.status).toBe('compensated');
    expect(calls.map((call) => call.split(' ').slice(0, 2).join(' '))).toEqual([
      'run reserve',
      'run charge',
      'run ship',
      'compensate ship',
      'compensate charge',
      'compensate reserve',
    ]);
  });

  it("begins the next queued saga's first step with the last step of the one before, one job at a time", async () => {
    const calls: string[] = [];
    const reserved: string[] = [];
    engine = new Engine(
      defineSaga('queued', { input: Input })
        .step('reserve', {
          run: async ({ input }: { input: Input }) => {
            reserved.push(input.orderId);
            return { reservationId: `r-${input.orderId}` };
          },
        })
        .step('charge', recordingStep(calls, 'charge'))
        .step('ship', recordingStep(calls, 'ship'))
        .build(),
      { startWorkers: false, concurrency: 1 },
    );
    const ids: string[] = [];
    for (const orderId of ['o-1', 'o-2', 'o-3', 'o-4']) ids.push((await engine.client.start('queued', { orderId })).id);
    const drain = async () => {
      engine!.startWorkers();
      for (const id of ids) expect((await engine!.waitUntilFinished(id)).status).toBe('completed');
    };

    // MONITOR sees one node only: on a cluster, where nothing is begun ahead, the sagas' records alone are checked.
    if (engine.redis.isCluster) {
      await drain();
    } else {
      const commands = await commandsDuring(engine.redis, drain);
      // begin-step-6.lua's calls (6 keys, then phase, index, gen, attempt, step, holder) on this engine's sagas,
      // not those of suites running beside it: the first saga's alone. EVAL where ioredis found the script not
      // loaded yet.
      const [prefix] = engine.prefixes;
      const begins = commands.filter(
        ({ args }) => /^eval(sha)?$/i.test(args[0]) && args.length === 15 && args[3].startsWith(`${prefix}:`),
      );
      expect(begins.map(({ args }) => args.slice(9))).toEqual([['run', '0', '0', '1', 'reserve', expect.any(String)]]);
    }
    for (const id of ids) {
      const saga = await engine.client.get(id);
      expect(saga.steps.map((step) => [step.name, step.status, step.attempts])).toEqual([
        ['reserve', 'succeeded', 1],
        ['charge', 'succeeded', 1],
        ['ship', 'succeeded', 1],
      ]);
      expect(saga.history.filter((entry) => entry.type === 'step.started').map((entry) => entry.step)).toEqual([
        'reserve',
        'charge',
        'ship',
      ]);
    }
    // Each begun-ahead attempt had its own saga's input, and the next step the output it returned. (In any order:
    // on a cluster the sagas are spread over the shards' queues, each with a worker of its own.)
    expect([...reserved].sort()).toEqual(['o-1', 'o-2', 'o-3', 'o-4']);
    for (const [i, id] of ids.entries()) {
      const saga = await engine.client.get(id);
      expect(saga.steps[0].output).toEqual({ reservationId: `r-o-${i + 1}` });
      expect(saga.steps[1].output).toEqual({ from: 'charge', saw: ['reserve'] });
    }
    expect(calls).toHaveLength(8);
  });

  it('leaves to the sweep a compensation whose job the dying process did not add after the last step', async () => {
    const calls: string[] = [];
    engine = new Engine(
      defineSaga('lost', { input: Input })
        .step('reserve', recordingStep(calls, 'reserve'))
        .step('ship', recordingStep(calls, 'ship'))
        .build(),
      { startWorkers: false },
    );
    const { id } = await engine.client.start('lost', { orderId: 'o-1' });
    // The worker's transitions, made by hand: the last step begun, a cancellation while it runs, its success
    // recorded with no job going on; then the process is gone, before adding the compensation's job.
    await engine.queueOf('lost', id).drain();
    const ref = (index: number) => ({ sagaId: id, phase: 'run' as const, index, gen: 0 });
    await engine.store.begin(ref(0), 1, 'reserve', 'job-gone');
    await engine.store.complete(ref(0), 1, 'reserve', {}, 'job-gone', 'ship');
    await engine.client.cancel(id, 'while shipping');
    expect(await engine.store.complete(ref(1), 1, 'ship', {})).toMatchObject({
      outcome: 'applied',
      cursor: { status: 'compensating', phase: 'compensate', index: 1 },
    });

    engine.startWorkers();
    expect(await engine.sweeper.sweep()).toMatchObject({ redriven: 1 });
    expect((await engine.waitUntilFinished(id)).status).toBe('compensated');
    expect(calls.map((call) => call.split(' ').slice(0, 2).join(' '))).toEqual([
      'compensate ship',
      'compensate reserve',
    ]);
  });
});
