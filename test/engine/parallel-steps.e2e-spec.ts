import { PermanentError, defineSaga, type SagaRecord } from '@sagaflow/core';
import { waitFor } from '../support/wait-for';
import { Engine, Input, recordingStep } from './engine.fixture';

const fast = { retry: { attempts: 3, backoff: 10 }, compensation: { retry: { attempts: 3, backoff: 10 } } };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A step body that takes `ms`, then returns what the recording step returns. */
const slow =
  (ms: number, output: unknown = { slow: true }) =>
  async () => {
    await sleep(ms);
    return output;
  };

function step(saga: SagaRecord, name: string) {
  const found = saga.steps.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no step ${name}`);
  return found;
}

const names = (calls: string[]) => calls.map((call) => call.split(' ').slice(0, 2).join(' '));

describe('parallel steps', () => {
  let engine: Engine;
  afterEach(() => engine.close());

  it('runs the steps of a group at once, each in a job of its own, and joins them before the next step', async () => {
    const calls: string[] = [];
    engine = new Engine(
      defineSaga('fanout', { input: Input })
        .step('a', recordingStep(calls, 'a'), fast)
        .parallel('prepare', (group) =>
          group
            .step('b', recordingStep(calls, 'b', { run: slow(400, { from: 'b' }) }), fast)
            .step('c', recordingStep(calls, 'c', { run: slow(400, { from: 'c' }) }), fast)
            .step('d', recordingStep(calls, 'd'), fast),
        )
        .step('e', recordingStep(calls, 'e'), fast)
        .build(),
    );
    const saga = await engine.runToEnd();

    expect(saga.status).toBe('completed');
    expect(names(calls).slice(0, 1)).toEqual(['run a']);
    expect(names(calls).slice(1, 4).sort()).toEqual(['run b', 'run c', 'run d']);
    expect(names(calls)[4]).toBe('run e');
    // b and c each took 400 ms, at the same time.
    const [b, c] = [step(saga, 'b'), step(saga, 'c')];
    expect(Date.parse(c.startedAt as string)).toBeLessThan(Date.parse(b.finishedAt as string));
    expect(Date.parse(b.startedAt as string)).toBeLessThan(Date.parse(c.finishedAt as string));
    // Each step of the group sees the outputs before the group only; the step after it sees them all.
    expect(step(saga, 'd').output).toEqual({ from: 'd', saw: ['a'] });
    expect(step(saga, 'e').output).toEqual({ from: 'e', saw: ['a', 'b', 'c', 'd'] });
    // The job of the group's last step to finish goes on to e; it may still be ending.
    const jobs = await engine.queueOf('fanout', saga.id).getJobs(['completed', 'active']);
    expect(jobs.map((job) => job.name).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('lets the steps in flight finish when one fails for good, then compensates those that succeeded and the steps before', async () => {
    const calls: string[] = [];
    engine = new Engine(
      defineSaga('fanfail', { input: Input })
        .step('a', recordingStep(calls, 'a'), fast)
        .parallel('prepare', (group) =>
          group
            .step('b', recordingStep(calls, 'b'), fast)
            .step(
              'c',
              recordingStep(calls, 'c', {
                run: async () => {
                  await sleep(100);
                  throw new PermanentError('card declined');
                },
              }),
              fast,
            )
            .step('d', recordingStep(calls, 'd', { run: slow(800) }), fast),
        )
        .step('e', recordingStep(calls, 'e'), fast)
        .build(),
    );
    const saga = await engine.runToEnd();

    expect(saga.status).toBe('compensated');
    expect(saga.error).toMatchObject({ step: 'c', message: 'card declined' });
    expect(step(saga, 'd')).toMatchObject({ status: 'compensated', attempts: 1 });
    expect(step(saga, 'b').status).toBe('compensated');
    expect(step(saga, 'c').status).toBe('failed');
    expect(step(saga, 'e').status).toBe('pending');
    // d finished its run before any compensation began; then the group newest first, then a.
    const compensations = names(calls).filter((call) => call.startsWith('compensate'));
    expect(compensations).toEqual(['compensate d', 'compensate b', 'compensate a']);
    expect(names(calls).indexOf('run d')).toBeLessThan(names(calls).indexOf('compensate d'));
    expect(names(calls)).not.toContain('run e');
  });

  it('does not retry a step of the group that waits between attempts once another has failed for good', async () => {
    const calls: string[] = [];
    engine = new Engine(
      defineSaga('fanstop', { input: Input })
        .parallel('prepare', (group) =>
          group
            .step(
              'flaky',
              recordingStep(calls, 'flaky', {
                run: async () => {
                  throw new Error('busy');
                },
              }),
              { retry: { attempts: 5, backoff: '30s' } },
            )
            .step(
              'broken',
              recordingStep(calls, 'broken', {
                run: async () => {
                  await sleep(300);
                  throw new PermanentError('broken for good');
                },
              }),
              fast,
            ),
        )
        .build(),
    );
    const started = Date.now();
    const saga = await engine.runToEnd();

    expect(saga.status).toBe('compensated');
    // Well before flaky's 30 s backoff: it was stopped, not retried.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(step(saga, 'flaky')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(saga.history.filter((entry) => entry.type === 'step.stopped').map((entry) => entry.step)).toEqual(['flaky']);
    expect(names(calls).filter((call) => call === 'run flaky')).toHaveLength(1);
    expect(names(calls).filter((call) => call.startsWith('compensate'))).toEqual([]);
  });

  it('finishes the steps in flight when cancelled, then compensates all that ran', async () => {
    const calls: string[] = [];
    engine = new Engine(
      defineSaga('fancancel', { input: Input })
        .step('a', recordingStep(calls, 'a'), fast)
        .parallel('prepare', (group) =>
          group
            .step('b', recordingStep(calls, 'b', { run: slow(2_000) }), fast)
            .step('c', recordingStep(calls, 'c', { run: slow(2_000) }), fast),
        )
        .step('d', recordingStep(calls, 'd'), fast)
        .build(),
    );
    const { id } = await engine.client.start('fancancel', { orderId: 'o-1' });
    await waitFor(
      () => engine.client.get(id),
      (saga) => step(saga, 'b').status === 'running' && step(saga, 'c').status === 'running',
    );
    await engine.client.cancel(id, 'customer changed their mind');
    const saga = await engine.waitUntilFinished(id);

    expect(saga.status).toBe('compensated');
    expect(
      names(calls)
        .filter((call) => call.startsWith('compensate'))
        .slice(0, 2)
        .sort(),
    ).toEqual(['compensate b', 'compensate c']);
    expect(names(calls).at(-1)).toBe('compensate a');
    expect(names(calls)).not.toContain('run d');
  });

  it('joins a group whose step is skipped by its condition', async () => {
    const calls: string[] = [];
    engine = new Engine(
      defineSaga('fanskip', { input: Input })
        .parallel('prepare', (group) =>
          group
            .step('b', recordingStep(calls, 'b'), fast)
            .step('c', recordingStep(calls, 'c'), { ...fast, when: ({ input }) => input.orderId !== 'o-1' }),
        )
        .step('d', recordingStep(calls, 'd'), fast)
        .build(),
    );
    const saga = await engine.runToEnd({ orderId: 'o-1' });

    expect(saga.status).toBe('completed');
    expect(step(saga, 'c').status).toBe('skipped');
    expect(step(saga, 'd').output).toEqual({ from: 'd', saw: ['b', 'c'] });
  });

  it('fences a step of the group that has settled: a duplicate job of it changes nothing', async () => {
    const calls: string[] = [];
    engine = new Engine(
      defineSaga('fanfence', { input: Input })
        .parallel('prepare', (group) =>
          group
            .step('b', recordingStep(calls, 'b'), fast)
            .step('c', recordingStep(calls, 'c', { run: slow(3_000) }), fast),
        )
        .build(),
    );
    const { id } = await engine.client.start('fanfence', { orderId: 'o-1' });
    await waitFor(
      () => engine.client.get(id),
      (saga) => step(saga, 'b').status === 'succeeded',
    );
    const duplicate = await engine.store.begin({ sagaId: id, phase: 'run', index: 0, gen: 0 }, 2, 'b', 'dup');
    expect(duplicate).toMatchObject({ outcome: 'stale', cursor: { phase: 'join', index: 0 } });
    const saga = await engine.waitUntilFinished(id);
    expect(saga.status).toBe('completed');
    expect(names(calls).filter((call) => call === 'run b')).toHaveLength(1);
  });

  it('re-adds the lost job of a step of the group, and only that step runs again', async () => {
    const calls: string[] = [];
    engine = new Engine(
      defineSaga('fansweep', { input: Input })
        .parallel('prepare', (group) =>
          group.step('b', recordingStep(calls, 'b'), fast).step('c', recordingStep(calls, 'c'), fast),
        )
        .build(),
      { startWorkers: false },
    );
    const { id } = await engine.client.start('fansweep', { orderId: 'o-1' });
    const queue = engine.queueOf('fansweep', id);
    const lost = (await queue.getJobs(['waiting'])).find((job) => job.name === 'c');
    await lost?.remove();
    expect(await engine.sweeper.sweep()).toMatchObject({ redriven: 1 });
    engine.startWorkers();
    const saga = await engine.waitUntilFinished(id);

    expect(saga.status).toBe('completed');
    expect(names(calls).sort()).toEqual(['run b', 'run c']);
  });
});
