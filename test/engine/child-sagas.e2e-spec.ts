import { PermanentError, childSagaId, defineSaga, type SagaDefinition, type SagaRecord } from '@sagaflow/core';
import { waitFor } from '../support/wait-for';
import { Engine, Input, recordingStep } from './engine.fixture';

const fast = { retry: { attempts: 2, backoff: 10 }, compensation: { retry: { attempts: 3, backoff: 10 } } };
const names = (calls: string[]) => calls.map((call) => call.split(' ').slice(0, 2).join(' '));
const failing = (message: string) => async () => {
  throw new PermanentError(message);
};

function child(calls: string[], behaviour: { failAt?: string } = {}) {
  const step = (name: string) =>
    recordingStep(calls, `child.${name}`, behaviour.failAt === name ? { run: failing(`${name} refused`) } : {});
  return defineSaga('shipment', { input: Input })
    .step('book', step('book'), fast)
    .step('label', step('label'), fast)
    .build();
}

describe('child sagas', () => {
  let engine: Engine;
  afterEach(() => engine.close());

  function parent(
    calls: string[],
    shipment: SagaDefinition<Input, unknown> = child(calls),
    afterwards = recordingStep(calls, 'invoice'),
  ) {
    return defineSaga('order', { input: Input })
      .step('reserve', recordingStep(calls, 'reserve'), fast)
      .child('ship', shipment, { input: ({ input }) => ({ orderId: `ship-${input.orderId}` }) })
      .step('invoice', afterwards, fast)
      .build();
  }

  it('runs the child as a saga of its own and gives its outputs to the steps after it', async () => {
    const calls: string[] = [];
    const shipment = child(calls);
    engine = new Engine([parent(calls, shipment), shipment]);
    const saga = await engine.runToEnd({ orderId: 'o-1' });

    expect(saga.status).toBe('completed');
    const childId = childSagaId(saga.id, 'ship');
    const childSaga = await engine.client.get(childId);
    expect(childSaga).toMatchObject({ name: 'shipment', status: 'completed', parent: { id: saga.id, step: 'ship' } });
    expect(childSaga.input).toEqual({ orderId: 'ship-o-1' });
    expect(saga.steps[1].output).toEqual({
      book: { from: 'child.book', saw: [] },
      label: { from: 'child.label', saw: ['book'] },
    });
    expect(saga.steps[2].output).toEqual({ from: 'invoice', saw: ['reserve', 'ship'] });
    expect(names(calls)).toEqual(['run reserve', 'run child.book', 'run child.label', 'run invoice']);
  });

  it('fails the step when the child ends compensated, and the parent compensates the steps before it', async () => {
    const calls: string[] = [];
    const shipment = child(calls, { failAt: 'label' });
    engine = new Engine([parent(calls, shipment), shipment]);
    const saga = await engine.runToEnd({ orderId: 'o-2' });

    expect(saga.status).toBe('compensated');
    expect(saga.error).toMatchObject({ step: 'ship', code: 'SAGA.CHILD_FAILED' });
    expect((await engine.client.get(childSagaId(saga.id, 'ship'))).status).toBe('compensated');
    expect(names(calls)).toEqual([
      'run reserve',
      'run child.book',
      'run child.label',
      'compensate child.book',
      'compensate reserve',
    ]);
  });

  it('compensates a completed child as a whole when the parent compensates past it', async () => {
    const calls: string[] = [];
    const shipment = child(calls);
    const refused = recordingStep(calls, 'invoice', { run: failing('no invoice') });
    engine = new Engine([parent(calls, shipment, refused), shipment]);
    const saga = await engine.runToEnd({ orderId: 'o-3' });

    expect(saga.status).toBe('compensated');
    const childSaga = await engine.client.get(childSagaId(saga.id, 'ship'));
    expect(childSaga.status).toBe('compensated');
    expect(childSaga.history.map((entry) => entry.type)).toContain('saga.completed');
    expect(names(calls)).toEqual([
      'run reserve',
      'run child.book',
      'run child.label',
      'run invoice',
      'compensate child.label',
      'compensate child.book',
      'compensate reserve',
    ]);
  });

  it('cancels a running child when the parent is cancelled', async () => {
    const calls: string[] = [];
    const shipment = defineSaga('pickup', { input: Input })
      .step('book', recordingStep(calls, 'child.book'), fast)
      .waitFor('collected', { event: 'parcel.collected', key: ({ input }) => input.orderId, timeout: '1h' })
      .build();
    engine = new Engine([parent(calls, shipment), shipment]);
    const { id } = await engine.client.start('order', { orderId: 'o-4' });
    const childId = childSagaId(id, 'ship');
    await waitFor(
      () => engine.client.get(childId).catch(() => undefined),
      (saga): saga is SagaRecord => saga?.status === 'waiting',
    );
    await engine.client.cancel(id, 'customer cancelled');
    const saga = await engine.waitUntilFinished(id);
    const childSaga = await engine.waitUntilFinished(childId);

    expect(saga.status).toBe('compensated');
    expect(childSaga.status).toBe('compensated');
    expect(childSaga.cancellation).toMatchObject({ reason: 'its parent saga compensates' });
    expect(names(calls)).toEqual(['run reserve', 'run child.book', 'compensate child.book', 'compensate reserve']);
  });

  it('fails the step when the child does not end in time, and cancels the child', async () => {
    const calls: string[] = [];
    const slowChild = defineSaga('courier', { input: Input })
      .step('book', recordingStep(calls, 'child.book'), fast)
      .waitFor('collected', { event: 'parcel.collected', key: ({ input }) => input.orderId, timeout: '1h' })
      .build();
    const impatient = defineSaga('rush', { input: Input })
      .step('reserve', recordingStep(calls, 'reserve'), fast)
      .child('ship', slowChild, { input: ({ input }) => input, timeout: '500ms' })
      .build();
    engine = new Engine([impatient, slowChild]);
    const saga = await engine.runToEnd({ orderId: 'o-5' });
    const childSaga = await engine.waitUntilFinished(childSagaId(saga.id, 'ship'));

    expect(saga.status).toBe('compensated');
    expect(saga.error).toMatchObject({ step: 'ship', code: 'SAGA.WAIT_TIMED_OUT' });
    expect(saga.error?.message).toContain(childSagaId(saga.id, 'ship'));
    expect(childSaga.status).toBe('compensated');
    expect(names(calls)).toEqual(['run reserve', 'run child.book', 'compensate child.book', 'compensate reserve']);
  });
});
