import { UnrecoverableError, Worker } from 'bullmq';
import {
  PermanentError,
  SagaStateConflictError,
  defineSaga,
  newSagaId,
  queueName,
  type StepContext,
} from '@sagaflow/core';
import { waitFor } from '../support/wait-for';
import { Engine, Input, recordingStep } from './engine.fixture';

const fast = { retry: { attempts: 3, backoff: 10 }, compensation: { retry: { attempts: 3, backoff: 10 } } };

describe('saga engine on BullMQ', () => {
  let engine: Engine;
  afterEach(() => engine.close());

  describe('when every step succeeds', () => {
    it('runs the steps in order, each seeing the outputs before it, and completes', async () => {
      const calls: string[] = [];
      engine = new Engine(
        defineSaga('happy', { input: Input })
          .step('a', recordingStep(calls, 'a'), fast)
          .step('b', recordingStep(calls, 'b'), fast)
          .step('c', recordingStep(calls, 'c'), fast)
          .build(),
      );
      const saga = await engine.runToEnd();

      expect(saga.status).toBe('completed');
      expect(calls.map((call) => call.split(' ').slice(0, 2).join(' '))).toEqual(['run a', 'run b', 'run c']);
      expect(saga.steps.map((step) => step.output)).toEqual([
        { from: 'a', saw: [] },
        { from: 'b', saw: ['a'] },
        { from: 'c', saw: ['a', 'b'] },
      ]);
      expect(saga.steps.every((step) => step.status === 'succeeded' && step.attempts === 1)).toBe(true);
    });
  });

  describe('when steps succeed at once, one after the other', () => {
    it('runs the whole saga in the job of its first step, one Redis round trip per step', async () => {
      engine = new Engine(
        defineSaga('chain', { input: Input })
          .step('a', recordingStep([], 'a'), fast)
          .step('b', recordingStep([], 'b'), fast)
          .step('c', recordingStep([], 'c'), fast)
          .build(),
      );
      const saga = await engine.runToEnd();

      expect(saga.status).toBe('completed');
      const queue = engine.queueOf('chain', saga.id);
      const jobs = await queue.getJobs(['completed', 'failed', 'waiting', 'delayed', 'active']);
      expect(jobs.map((job) => job.name)).toEqual(['a']);
    });

    it('hands a step reached that way to a job of its own when it fails, counting its attempts on', async () => {
      const calls: string[] = [];
      let failures = 2;
      engine = new Engine(
        defineSaga('handoff', { input: Input })
          .step('a', recordingStep(calls, 'a'), fast)
          .step(
            'b',
            recordingStep(calls, 'b', {
              run: async () => {
                if (failures-- > 0) throw new Error('busy');
                return { ok: true };
              },
            }),
            fast,
          )
          .build(),
      );
      const saga = await engine.runToEnd();

      expect(saga.status).toBe('completed');
      expect(saga.steps[1]).toMatchObject({ status: 'succeeded', attempts: 3 });
      expect(calls.filter((call) => call.startsWith('run b'))).toEqual([
        `run b #1 ${saga.id}:b:run`,
        `run b #2 ${saga.id}:b:run`,
        `run b #3 ${saga.id}:b:run`,
      ]);
      // b's first attempt ran in a's job; its own job made the other two. BullMQ marks that job completed just
      // after the transition that completed the saga.
      const jobs = await waitFor(
        () => engine.queueOf('handoff', saga.id).getJobs(['completed']),
        (completed) => completed.length === 2,
      );
      expect(jobs.map((job) => [job.name, job.attemptsMade]).sort()).toEqual([
        ['a', 1],
        ['b', 2],
      ]);
    });
  });

  describe('when a step fails transiently', () => {
    it('retries it with the same idempotency key until it succeeds', async () => {
      const calls: string[] = [];
      let failures = 2;
      engine = new Engine(
        defineSaga('flaky', { input: Input })
          .step(
            'a',
            recordingStep(calls, 'a', {
              run: async () => {
                if (failures-- > 0) throw new Error('processor busy');
                return { ok: true };
              },
            }),
            fast,
          )
          .build(),
      );
      const saga = await engine.runToEnd();

      expect(saga.status).toBe('completed');
      expect(saga.steps[0]).toMatchObject({ status: 'succeeded', attempts: 3 });
      expect(calls).toEqual([`run a #1 ${saga.id}:a:run`, `run a #2 ${saga.id}:a:run`, `run a #3 ${saga.id}:a:run`]);
      expect(saga.history.filter((entry) => entry.type === 'step.failed').map((entry) => entry.willRetry)).toEqual([
        true,
        true,
      ]);
    });
  });

  describe('when a step fails permanently', () => {
    it('does not retry it and compensates the earlier steps newest first', async () => {
      const calls: string[] = [];
      engine = new Engine(
        defineSaga('declined', { input: Input })
          .step('a', recordingStep(calls, 'a'), fast)
          .step('b', recordingStep(calls, 'b'), fast)
          .step(
            'c',
            recordingStep(calls, 'c', { run: () => Promise.reject(new PermanentError('card declined')) }),
            fast,
          )
          .build(),
      );
      const saga = await engine.runToEnd();

      expect(saga.status).toBe('compensated');
      expect(calls.map((call) => call.split(' ').slice(0, 3).join(' '))).toEqual([
        'run a #1',
        'run b #1',
        'run c #1',
        'compensate b #1',
        'compensate a #1',
      ]);
      expect(saga.error).toMatchObject({ step: 'c', name: 'PermanentError', message: 'card declined' });
      expect(saga.steps.map((step) => step.status)).toEqual(['compensated', 'compensated', 'failed']);
    });
  });

  describe('when a step that may have taken effect fails (compensateOnFailure)', () => {
    it("compensates the failed step too, with no output and the run's idempotency key, then the ones before", async () => {
      const calls: string[] = [];
      const undone: unknown[] = [];
      engine = new Engine(
        defineSaga('uncertain', { input: Input })
          .step('a', recordingStep(calls, 'a'), fast)
          .step(
            'b',
            {
              run: () => Promise.reject(new PermanentError('reply lost')),
              compensate: async (_data: unknown, output: unknown, ctx: StepContext) => {
                undone.push({ output, key: ctx.runIdempotencyKey });
              },
            },
            { ...fast, compensateOnFailure: true },
          )
          .build(),
      );
      const saga = await engine.runToEnd();

      expect(saga.status).toBe('compensated');
      expect(undone).toEqual([{ output: undefined, key: `${saga.id}:b:run` }]);
      expect(saga.steps.map((step) => step.status)).toEqual(['compensated', 'compensated']);
      expect(
        saga.history.filter((entry) => entry.type === 'compensation.succeeded').map((entry) => entry.step),
      ).toEqual(['b', 'a']);
    });
  });

  describe('when a step exceeds its timeout', () => {
    it('aborts its signal, retries, and compensates once the attempts are spent', async () => {
      const calls: string[] = [];
      const aborted: string[] = [];
      engine = new Engine(
        defineSaga('slow', { input: Input })
          .step('a', recordingStep(calls, 'a'), fast)
          .step(
            'b',
            recordingStep(calls, 'b', {
              run: (ctx) =>
                new Promise((_resolve, reject) => {
                  ctx.signal.addEventListener('abort', () => {
                    aborted.push(`#${ctx.attempt}`);
                    reject(ctx.signal.reason);
                  });
                }),
            }),
            { timeout: 200, retry: { attempts: 2, backoff: 10 } },
          )
          .build(),
      );
      const saga = await engine.runToEnd();

      expect(saga.status).toBe('compensated');
      expect(aborted).toEqual(['#1', '#2']);
      expect(saga.steps[1]).toMatchObject({ status: 'failed', attempts: 2, error: { name: 'StepTimedOutError' } });
      expect(saga.steps[0].status).toBe('compensated');
    });
  });

  describe('when a compensation keeps failing', () => {
    it('parks the saga as compensation_failed with the error, after its retries', async () => {
      const calls: string[] = [];
      engine = new Engine(
        defineSaga('stuck', { input: Input })
          .step('a', recordingStep(calls, 'a'), fast)
          .step(
            'b',
            recordingStep(calls, 'b', { compensate: () => Promise.reject(new Error('refund rejected')) }),
            fast,
          )
          .step('c', recordingStep(calls, 'c', { run: () => Promise.reject(new PermanentError('no')) }), fast)
          .build(),
      );
      const saga = await engine.runToEnd();

      expect(saga.status).toBe('compensation_failed');
      expect(calls.filter((call) => call.startsWith('compensate'))).toEqual([
        'compensate b #1',
        'compensate b #2',
        'compensate b #3',
      ]);
      expect(saga.steps[1]).toMatchObject({
        status: 'compensation_failed',
        compensation: { attempts: 3, error: { message: 'refund rejected' } },
      });
      // The step before it is not compensated behind the failure's back: a person decides.
      expect(saga.steps[0].status).toBe('succeeded');
    });
  });

  describe('when a job is delivered again', () => {
    it('does not run a step whose saga has moved on, nor change the saga', async () => {
      const calls: string[] = [];
      engine = new Engine(defineSaga('dup', { input: Input }).step('a', recordingStep(calls, 'a'), fast).build());
      const saga = await engine.runToEnd();
      const queue = engine.queueOf('dup', saga.id);
      const late = await queue.add(
        'a',
        { sagaId: saga.id, saga: 'dup', version: 1, phase: 'run', index: 0, gen: 0 },
        { jobId: 'late-copy' },
      );

      await waitFor(
        () => late.getState(),
        (state) => state === 'completed',
      );
      expect(calls).toHaveLength(1);
      expect(await engine.client.get(saga.id)).toEqual(saga);
    });

    it('adds the next job that a crash between transition and dispatch lost', async () => {
      const calls: string[] = [];
      engine = new Engine(
        defineSaga('lost', { input: Input })
          .step('a', recordingStep(calls, 'a'), fast)
          .step('b', recordingStep(calls, 'b'), fast)
          .build(),
      );
      // Start without dispatching, then apply step a's transition as a worker that died right after it would.
      const id = '0190a0d2-0000-7000-8000-000000000001';
      await engine.store.start(engine.saga, id, { orderId: 'o-1' });
      const ref = { sagaId: id, phase: 'run' as const, index: 0, gen: 0 };
      await engine.store.begin(ref, 1, 'a', 'test-job');
      await engine.store.complete(ref, 1, 'a', { done: 'before the crash' });
      expect(await engine.queueOf('lost', id).getJobCountByTypes('wait', 'active', 'delayed')).toBe(0);

      // BullMQ redelivers step a's job as stalled.
      await engine.queueOf('lost', id).add('a', { ...ref, saga: 'lost', version: 1 }, { jobId: 'redelivered' });
      const saga = await engine.waitUntilFinished(id);

      expect(saga.status).toBe('completed');
      expect(calls.map((call) => call.split(' ')[1])).toEqual(['b']);
      expect(saga.steps[0].output).toEqual({ done: 'before the crash' });
    });
  });

  describe('when a parked saga is retried or resolved by an operator', () => {
    it('retry runs the failed compensation again and carries on to the end', async () => {
      const calls: string[] = [];
      let refundWorks = false;
      engine = new Engine(
        defineSaga('parked', { input: Input })
          .step('a', recordingStep(calls, 'a'), fast)
          .step(
            'b',
            recordingStep(calls, 'b', {
              compensate: async () => {
                if (!refundWorks) throw new Error('refund service down');
              },
            }),
            fast,
          )
          .step('c', recordingStep(calls, 'c', { run: () => Promise.reject(new PermanentError('no')) }), fast)
          .build(),
      );
      const parked = await engine.runToEnd();
      expect(parked.status).toBe('compensation_failed');

      refundWorks = true;
      await expect(engine.client.retry(parked.id, 'refund service is back')).resolves.toEqual({
        id: parked.id,
        name: 'parked',
        status: 'compensating',
      });
      const saga = await engine.waitUntilFinished(parked.id);

      expect(saga.status).toBe('compensated');
      expect(saga.steps.map((step) => step.status)).toEqual(['compensated', 'compensated', 'failed']);
      expect(calls.filter((call) => call.startsWith('compensate'))).toEqual([
        'compensate b #1',
        'compensate b #2',
        'compensate b #3',
        'compensate b #1',
        'compensate a #1',
      ]);
    });

    it('resolve ends it compensated with the note, and both refuse a saga that is not parked', async () => {
      const calls: string[] = [];
      engine = new Engine(
        defineSaga('resolved', { input: Input })
          .step('a', recordingStep(calls, 'a', { compensate: () => Promise.reject(new Error('gone')) }), fast)
          .step('b', recordingStep(calls, 'b', { run: () => Promise.reject(new PermanentError('no')) }), fast)
          .build(),
      );
      const parked = await engine.runToEnd();
      await engine.client.resolve(parked.id, 'reversed in the back office');
      const saga = await engine.client.get(parked.id);

      expect(saga.status).toBe('compensated');
      expect(saga.history.at(-1)).toMatchObject({ type: 'saga.resolved', note: 'reversed in the back office' });
      await expect(engine.client.retry(parked.id)).rejects.toBeInstanceOf(SagaStateConflictError);
      await expect(engine.client.resolve(parked.id, 'again')).rejects.toBeInstanceOf(SagaStateConflictError);
    });
  });

  describe('the sweeper', () => {
    it('adds the first job of a saga that was written but never dispatched (a crashed API)', async () => {
      const calls: string[] = [];
      engine = new Engine(defineSaga('orphan', { input: Input }).step('a', recordingStep(calls, 'a'), fast).build());
      const id = newSagaId();
      await engine.store.start(engine.saga, id, { orderId: 'o-1' });

      await expect(engine.sweeper.sweep()).resolves.toMatchObject({ redriven: 1, failed: 0 });
      const saga = await engine.waitUntilFinished(id);
      expect(saga.status).toBe('completed');
      expect(calls).toHaveLength(1);
    });

    it('fails the step of a job BullMQ failed on its own, so the saga compensates instead of hanging', async () => {
      const calls: string[] = [];
      engine = new Engine(
        defineSaga('poisoned', { input: Input })
          .step('a', recordingStep(calls, 'a'), fast)
          .step('b', recordingStep(calls, 'b'), fast)
          .build(),
        { startWorkers: false },
      );
      const id = newSagaId();
      await engine.store.start(engine.saga, id, { orderId: 'o-1' });
      const ref = { sagaId: id, phase: 'run' as const, index: 0, gen: 0 };
      await engine.store.begin(ref, 1, 'a', 'test-job');
      await engine.store.complete(ref, 1, 'a', {});
      await engine.dispatcher.dispatch(engine.saga, id, { status: 'running', phase: 'run', index: 1, gen: 0 });
      // Another consumer takes step b's job and BullMQ fails it, as it does with a job that stalled too often.
      const rogue = new Worker(
        queueName('poisoned'),
        async () => {
          throw new UnrecoverableError('job stalled more than allowable limit');
        },
        { connection: engine.redis, prefix: engine.prefixOf(id) },
      );
      await waitFor(
        () => engine.queueOf('poisoned', id).getFailedCount(),
        (count) => count === 1,
      );
      await rogue.close();

      engine.startWorkers();
      await expect(engine.sweeper.sweep()).resolves.toMatchObject({ failed: 1 });
      const saga = await engine.waitUntilFinished(id);

      expect(saga.status).toBe('compensated');
      expect(saga.steps[1]).toMatchObject({
        status: 'failed',
        error: { name: 'JobFailedError', message: 'BullMQ failed the job: job stalled more than allowable limit' },
      });
      expect(calls.map((call) => call.split(' ').slice(0, 2).join(' '))).toEqual(['compensate a']);
    });

    it('leaves a saga alone while the job of an earlier step is running its current step', async () => {
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      engine = new Engine(
        defineSaga('held', { input: Input })
          .step('a', recordingStep([], 'a'), fast)
          .step('b', recordingStep([], 'b', { run: () => held.then(() => ({})) }), fast)
          .build(),
      );
      const { id } = await engine.client.start('held', { orderId: 'o-1' });
      await waitFor(
        () => engine.client.get(id),
        (saga) => saga.steps[1].status === 'running',
      );

      await expect(engine.sweeper.sweep()).resolves.toEqual({ checked: 1, redriven: 0, failed: 0 });
      release();
      expect((await engine.waitUntilFinished(id)).status).toBe('completed');
    });

    it('leaves sagas alone whose job is alive, and forgets finished ones', async () => {
      engine = new Engine(defineSaga('alive', { input: Input }).step('a', recordingStep([], 'a'), fast).build(), {
        startWorkers: false,
      });
      const { id } = await engine.client.start('alive', { orderId: 'o-1' });
      await expect(engine.sweeper.sweep()).resolves.toEqual({ checked: 1, redriven: 0, failed: 0 });

      engine.startWorkers();
      await engine.waitUntilFinished(id);
      await engine.sweeper.sweep();
      expect((await engine.store.activeSagas(0, 0, 100)).active).toEqual([]);
      expect(await engine.redis.zcard(engine.store.keys.active(0))).toBe(0);
    });
  });
});
