import { QueueEvents } from 'bullmq';
import { defineSaga, type SagaStatus } from '@sagaflow/core';
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
    await Promise.all(listeners.map((listener) => listener.waitUntilReady()));
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
