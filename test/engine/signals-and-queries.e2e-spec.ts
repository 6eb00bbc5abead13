import { IsBoolean, IsString } from 'class-validator';
import {
  QueryInvalidError,
  SagaIdempotencyConflictError,
  SagaNotFoundError,
  SagaStateConflictError,
  SignalInvalidError,
  defineSaga,
  newSagaId,
  type SagaData,
  type SagaRecord,
  type StepContext,
} from '@sagaflow/core';
import { waitFor } from '../support/wait-for';
import { Engine, Input } from './engine.fixture';

class Approval {
  @IsString()
  approver!: string;

  @IsBoolean()
  approved!: boolean;
}

class Note {
  @IsString()
  text!: string;
}

/** Reads the notes received so far: its output shows what `ctx.signals` held when it ran. */
const collectNotes = {
  async run(_data: SagaData<Input, object>, ctx: StepContext<{ note: Note }>) {
    return { notes: ctx.signals.note.map(({ seq, payload }) => `${seq}:${payload.text}`) };
  },
};

/** collect → wait for `approval` → collect again; a query of where it stands. */
function approvalSaga(timeout: `${number}${'ms' | 's'}` = '30s', onTimeout: 'fail' | 'continue' = 'fail') {
  return defineSaga('approval', { input: Input, signals: { approval: Approval, note: Note } })
    .step('before', collectNotes, { retry: { attempts: 1 } })
    .waitForSignal('awaitApproval', { signal: 'approval', timeout, onTimeout })
    .step('after', collectNotes, { retry: { attempts: 1 } })
    .query('progress', ({ status, input, outputs, signals }) => ({
      orderId: input.orderId,
      status,
      approvedBy: outputs.awaitApproval?.approver ?? null,
      notes: signals.note.length,
    }))
    .build();
}

function statusOf(engine: Engine, id: string, status: SagaRecord['status']): Promise<SagaRecord> {
  return waitFor(
    () => engine.client.get(id),
    (saga) => saga.status === status,
  );
}

describe('signals and queries', () => {
  let engine: Engine;
  afterEach(() => engine.close());

  it('resumes a saga waiting for a signal, whose payload becomes the output, and shows steps the signals so far', async () => {
    const saga = approvalSaga();
    engine = new Engine(saga);
    const { id } = await engine.client.start('approval', { orderId: 'o-1' });
    await statusOf(engine, id, 'waiting');

    expect(await engine.client.signal(id, saga.signals.note, { text: 'rush' })).toEqual({
      sagaId: id,
      signal: 'note',
      seq: 1,
    });
    expect((await engine.client.get(id)).status).toBe('waiting');
    const approved = await engine.client.signal(id, 'approval', { approver: 'ann', approved: true });
    expect(approved).toEqual({ sagaId: id, signal: 'approval', seq: 2 });

    const done = await engine.waitUntilFinished(id);
    expect(done.status).toBe('completed');
    expect(done.steps.map((step) => step.output)).toEqual([
      { notes: [] },
      { approver: 'ann', approved: true },
      { notes: ['1:rush'] },
    ]);
    expect(done.signals?.map(({ seq, name }) => `${seq}:${name}`)).toEqual(['1:note', '2:approval']);
    // The timer job of the wait was removed when the signal ended it.
    expect(await engine.queueOf('approval', id).getDelayedCount()).toBe(0);
  });

  it('keeps a signal sent before the saga reaches its wait, and ends the wait with it there', async () => {
    const saga = approvalSaga();
    engine = new Engine(saga, { startWorkers: false });
    const { id } = await engine.client.start('approval', { orderId: 'o-2' });
    await engine.client.signal(id, saga.signals.approval, { approver: 'bob', approved: true });
    await engine.client.signal(id, saga.signals.note, { text: 'early' });
    engine.startWorkers();

    const done = await engine.waitUntilFinished(id);
    expect(done.status).toBe('completed');
    expect(done.steps[0].output).toEqual({ notes: ['2:early'] });
    expect(done.steps[1]).toMatchObject({ output: { approver: 'bob', approved: true }, wait: { seq: 1 } });
  });

  it('takes each signal for one wait only: a second wait of the same name waits for the next one', async () => {
    const twice = defineSaga('twice', { input: Input, signals: { approval: Approval } })
      .waitForSignal('first', { signal: 'approval', timeout: '30s' })
      .waitForSignal('second', { signal: 'approval', timeout: '30s' })
      .build();
    engine = new Engine(twice);
    const { id } = await engine.client.start('twice', { orderId: 'o-3' });
    await engine.client.signal(id, 'approval', { approver: 'ann', approved: true });
    const waiting = await waitFor(
      () => engine.client.get(id),
      (saga) => saga.waitingFor?.step === 'second',
    );
    expect(waiting.status).toBe('waiting');
    await engine.client.signal(id, 'approval', { approver: 'bob', approved: true });
    const done = await engine.waitUntilFinished(id);
    expect(done.steps.map((step) => (step.output as Approval).approver)).toEqual(['ann', 'bob']);
  });

  it('times a wait for a signal out as a wait for an event: fail compensates, continue goes on with null', async () => {
    engine = new Engine([approvalSaga('300ms', 'fail')]);
    const failed = await engine.runToEnd();
    expect(failed.status).toBe('compensated');
    expect(failed.steps[1].error).toMatchObject({
      code: 'SAGA.WAIT_TIMED_OUT',
      message: 'No "approval" signal arrived before the wait\'s timeout.',
    });
    await engine.close();

    engine = new Engine([approvalSaga('300ms', 'continue')]);
    const continued = await engine.runToEnd();
    expect(continued.status).toBe('completed');
    expect(continued.steps[1].output).toBeNull();
  });

  it('answers a query with the typed result of its function of the saga', async () => {
    const saga = approvalSaga();
    engine = new Engine(saga);
    const { id } = await engine.client.start('approval', { orderId: 'o-4' });
    await statusOf(engine, id, 'waiting');
    await engine.client.signal(id, 'note', { text: 'a' });

    const progress = await engine.client.query(id, saga.queries.progress);
    // Typed from the definition: a wrong field would not compile.
    const approvedBy: string | null = progress.approvedBy;
    expect(approvedBy).toBeNull();
    expect(progress).toEqual({ orderId: 'o-4', status: 'waiting', approvedBy: null, notes: 1 });

    await engine.client.signal(id, 'approval', { approver: 'cy', approved: true });
    await engine.waitUntilFinished(id);
    expect(await engine.client.query(id, 'progress')).toEqual({
      orderId: 'o-4',
      status: 'completed',
      approvedBy: 'cy',
      notes: 1,
    });
  });

  it('refuses bad signals and queries before writing anything, naming the field at fault', async () => {
    engine = new Engine(approvalSaga());
    const { id } = await engine.client.start('approval', { orderId: 'o-5' });

    const fields = async (sent: Promise<unknown>) => {
      const error = await sent.catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SignalInvalidError);
      return (error as SignalInvalidError).fields.map((field) => field.field);
    };
    expect(await fields(engine.client.signal(id, 'veto', {}))).toEqual(['name']);
    expect(await fields(engine.client.signal(id, 'approval', { approver: 'ann', approved: 'yes' }))).toEqual([
      'approved',
    ]);
    expect(await fields(engine.client.signal(id, 'note', { text: 'a', extra: 1 }))).toEqual(['extra']);
    expect(await fields(engine.client.signal(id, 'note', { text: 'a' }, { idempotencyKey: 'bad key' }))).toEqual([
      'idempotencyKey',
    ]);
    expect((await engine.client.get(id)).signals).toBeUndefined();

    await expect(engine.client.query(id, 'nothing')).rejects.toThrow(QueryInvalidError);
    await expect(engine.client.signal(newSagaId(), 'note', { text: 'a' })).rejects.toThrow(SagaNotFoundError);
    await expect(engine.client.query('not-an-id', 'progress')).rejects.toThrow(SagaNotFoundError);
  });

  it('makes a repeat with the same idempotency key a no-op answering the first result', async () => {
    engine = new Engine(approvalSaga());
    const { id } = await engine.client.start('approval', { orderId: 'o-6' });
    const options = { idempotencyKey: 'note-1' };
    const first = await engine.client.signal(id, 'note', { text: 'a' }, options);
    expect(await engine.client.signal(id, 'note', { text: 'a' }, options)).toEqual(first);
    await expect(engine.client.signal(id, 'note', { text: 'b' }, options)).rejects.toThrow(
      SagaIdempotencyConflictError,
    );
    expect((await engine.client.get(id)).signals).toHaveLength(1);
  });

  it('refuses a signal once the saga has ended', async () => {
    engine = new Engine(approvalSaga('300ms', 'continue'));
    const { id } = await engine.runToEnd();
    await expect(engine.client.signal(id, 'note', { text: 'late' })).rejects.toThrow(SagaStateConflictError);
  });
});

// Compile-time checks: a step may read only signals its saga declares, with their payload types.
export const typeChecks = () => {
  const readsVeto = { run: async (_data: unknown, ctx: StepContext<{ veto: Note }>) => ctx.signals.veto.length };
  const readsNoteAsApproval = {
    run: async (_data: unknown, ctx: StepContext<{ note: Approval }>) => ctx.signals.note.length,
  };
  const builder = defineSaga('typed', { input: Input, signals: { approval: Approval, note: Note } });
  // @ts-expect-error the saga declares no signal "veto"
  builder.step('veto', readsVeto);
  // @ts-expect-error the saga's "note" carries a Note, not an Approval
  builder.step('note', readsNoteAsApproval);
  // @ts-expect-error the saga declares no signal "veto" to wait for
  builder.waitForSignal('w', { signal: 'veto', timeout: '1s' });
};
