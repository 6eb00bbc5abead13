import { SagaKeys, type SagaRecord, type SignalResult } from '@sagaflow/core';
import type { ExpenseProgress, Reimbursement } from '@sagaflow/samples/expense';
import { SagaflowSystem } from '../support/apps';
import { connect } from '../support/redis';
import { waitFor } from '../support/wait-for';

type ErrorAnswer = { code: string; errors?: { field: string }[] };

/**
 * The expense sample over the HTTP API, with the real API and worker processes. The suite starts without a worker,
 * so that a signal can reach a saga before its wait begins; the first test then adds one. Ended sagas are kept for
 * 3 s, and the reaper runs every 200 ms.
 */
describe('signals and queries over the HTTP API', () => {
  let system: SagaflowSystem;
  beforeAll(async () => {
    system = await SagaflowSystem.start({
      workers: 0,
      env: { SAGAFLOW_RETENTION: '3s', SAGAFLOW_REAP_INTERVAL_MS: '200' },
    });
  });
  afterAll(() => system.stop());

  let expenses = 0;
  async function startExpense(): Promise<string> {
    expenses += 1;
    const input = { expenseId: `ex-${Date.now()}-${expenses}`, employeeId: 'e-1', amountCents: 4_200 };
    const started = await system.request<{ id: string }>('POST', '/sagas/expense', input);
    expect(started.status).toBe(202);
    return started.body.id;
  }
  const signal = <T = SignalResult>(id: string, name: string, payload: unknown, headers: Record<string, string> = {}) =>
    system.request<T>('POST', `/sagas/${id}/signals/${name}`, payload, headers);
  const read = async (id: string) => (await system.request<SagaRecord>('GET', `/sagas/${id}`)).body;
  const until = (id: string, done: (saga: SagaRecord) => boolean) => waitFor(() => read(id), done);
  const progress = (id: string) =>
    system.request<{ result: ExpenseProgress } & ErrorAnswer>('GET', `/sagas/${id}/queries/progress`);

  it('keeps a decision sent before the saga reaches its wait, and ends the wait with it there', async () => {
    const id = await startExpense();
    expect((await read(id)).steps[0].status).toBe('pending');
    const sent = await signal(id, 'decision', { approver: 'ann', approved: true });
    expect(sent).toEqual({ status: 202, body: { sagaId: id, signal: 'decision', seq: 1 } });

    await system.addWorker();
    const done = await until(id, (saga) => saga.status === 'completed');
    expect(done.steps[0]).toMatchObject({ status: 'succeeded', output: { approver: 'ann', approved: true } });
    expect(done.steps[0].wait).toMatchObject({ signal: 'decision', seq: 1 });
  });

  it('resumes a saga waiting for its decision, whose step reads the comments sent earlier', async () => {
    const id = await startExpense();
    await until(id, (saga) => saga.status === 'waiting');
    expect((await read(id)).waitingFor).toMatchObject({ step: 'awaitDecision', signal: 'decision' });

    expect((await signal(id, 'comment', { author: 'bo', text: 'taxi' })).body.seq).toBe(1);
    expect((await read(id)).status).toBe('waiting');
    expect(await signal(id, 'decision', { approver: 'cy', approved: true })).toMatchObject({
      status: 202,
      body: { seq: 2 },
    });

    const done = await until(id, (saga) => saga.status === 'completed');
    expect(done.steps[1].output).toMatchObject<Partial<Reimbursement>>({
      amountCents: 4_200,
      approvedBy: 'cy',
      comments: ['bo: taxi'],
    });
    expect(done.signals?.map(({ seq, name }) => `${seq} ${name}`)).toEqual(['1 comment', '2 decision']);
    expect(done.history.filter((entry) => entry.type === 'signal.received')).toMatchObject([
      { signal: 'comment', seq: 1 },
      { signal: 'decision', seq: 2 },
    ]);
  });

  it('answers a query with the typed custom state, as the saga moves on', async () => {
    const id = await startExpense();
    await until(id, (saga) => saga.status === 'waiting');
    await signal(id, 'comment', { author: 'bo', text: 'hotel' });
    const pending = await progress(id);
    expect(pending.status).toBe(200);
    expect(pending.body.result).toEqual<ExpenseProgress>({
      expenseId: expect.stringMatching(/^ex-/),
      decision: 'pending',
      approver: null,
      comments: 1,
      reimbursed: false,
    });

    await signal(id, 'decision', { approver: 'di', approved: true });
    await until(id, (saga) => saga.status === 'completed');
    expect((await progress(id)).body.result).toMatchObject({ decision: 'approved', approver: 'di', reimbursed: true });
  });

  it('makes a repeat with the same Idempotency-Key a no-op that answers the first result', async () => {
    const id = await startExpense();
    const key = { 'idempotency-key': `comment-${id}` };
    const first = await signal(id, 'comment', { author: 'bo', text: 'once' }, key);
    const again = await signal(id, 'comment', { author: 'bo', text: 'once' }, key);
    expect(first).toEqual({ status: 202, body: { sagaId: id, signal: 'comment', seq: 1 } });
    expect(again).toEqual(first);
    const other = await signal<ErrorAnswer>(id, 'comment', { author: 'bo', text: 'twice' }, key);
    expect(other).toMatchObject({ status: 409, body: { code: 'SAGA.IDEMPOTENCY_CONFLICT' } });
    expect((await read(id)).signals).toHaveLength(1);
  });

  it('refuses bad input with 400 naming the field, and records nothing', async () => {
    const id = await startExpense();
    const fields = async (answer: Promise<{ status: number; body: ErrorAnswer }>) => {
      const { status, body } = await answer;
      expect(status).toBe(400);
      return body.errors?.map((error) => error.field);
    };
    expect(await fields(signal(id, 'veto', { approver: 'ann', approved: true }))).toEqual(['name']);
    expect(await fields(signal(id, 'decision', { approver: '', approved: 'yes' }))).toEqual(['approver', 'approved']);
    expect(await fields(signal(id, 'decision', { approver: 'ann', approved: true, extra: 1 }))).toEqual(['extra']);
    expect(await fields(signal(id, 'decision', [1]))).toEqual(['']);
    const badKey = { 'idempotency-key': 'has space' };
    expect(await fields(signal(id, 'comment', { author: 'a', text: 'b' }, badKey))).toEqual(['Idempotency-Key']);
    expect(await fields(system.request('GET', `/sagas/${id}/queries/nothing`))).toEqual(['name']);
    expect((await read(id)).signals).toBeUndefined();
  });

  it('answers 404 for an unknown saga', async () => {
    const unknown = '01a21384-a61a-75aa-ab33-ec9352cf77ac';
    expect((await signal(unknown, 'comment', { author: 'a', text: 'b' })).status).toBe(404);
    expect((await system.request('GET', `/sagas/${unknown}/queries/progress`)).status).toBe(404);
  });

  it('answers 409 once the saga has ended, and removes its signals with it when its retention is over', async () => {
    const id = await startExpense();
    await signal(id, 'comment', { author: 'bo', text: 'no receipt' });
    await signal(id, 'decision', { approver: 'ed', approved: false });
    const ended = await until(id, (saga) => saga.status === 'compensated');
    expect(ended.steps[1].error).toMatchObject({ code: 'EXPENSE.REJECTED' });

    const late = await signal<ErrorAnswer>(id, 'comment', { author: 'bo', text: 'too late' });
    expect(late).toMatchObject({ status: 409, body: { code: 'SAGA.STATE_CONFLICT' } });

    const redis = connect();
    try {
      const signals = new SagaKeys(system.prefixes).signals(id);
      expect(await redis.llen(signals)).toBe(2);
      await waitFor(
        async () => (await system.request('GET', `/sagas/${id}`)).status,
        (status) => status === 404,
      );
      expect(await redis.exists(signals)).toBe(0);
    } finally {
      await redis.quit();
    }
  });
});
