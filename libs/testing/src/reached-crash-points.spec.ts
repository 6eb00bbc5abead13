import { IsString } from 'class-validator';
import { defineSaga, type HistoryEntry, type SagaData } from '@sagaflow/core';
import { reachedCrashPoints, selectCrashPoints } from './reached-crash-points';

class OrderInput {
  @IsString()
  orderId!: string;
}

type Data = SagaData<OrderInput, object>;

class ReserveStep {
  async run(_data: Data) {
    return { reservationId: 'r-1' };
  }
  async compensate() {}
}

class ChargeStep {
  async run(_data: Data) {
    return { chargeId: 'c-1' };
  }
  async compensate() {}
}

class NotifyStep {
  async run(_data: Data) {
    return {};
  }
}

const saga = defineSaga('order', { input: OrderInput })
  .step('reserve', ReserveStep)
  .step('charge', ChargeStep)
  .waitFor('awaitPayment', { event: 'payment.settled', key: ({ input }) => input.orderId, timeout: '1m' })
  .step('notify', NotifyStep, { when: () => false })
  .build();

const at = '2026-11-25T10:00:00.000Z';
const entry = (type: HistoryEntry['type'], step?: string): HistoryEntry => ({ at, type, ...(step && { step }) });
const labels = (points: { step: string; phase: string; at: string }[]) =>
  points.map((point) => `${point.step}/${point.phase}/${point.at}`);

describe('reachedCrashPoints', () => {
  it('lists each succeeded step at begun, ran and recorded, in the order of the history', () => {
    const history = [
      entry('saga.started'),
      entry('step.started', 'reserve'),
      entry('step.succeeded', 'reserve'),
      entry('step.started', 'charge'),
      entry('step.succeeded', 'charge'),
      entry('saga.completed'),
    ];
    expect(labels(reachedCrashPoints(saga, history))).toEqual([
      'reserve/run/begun',
      'reserve/run/ran',
      'reserve/run/recorded',
      'charge/run/begun',
      'charge/run/ran',
      'charge/run/recorded',
    ]);
  });

  it('stops a failing step at begun, lists it once however many attempts, and adds the compensations', () => {
    const history = [
      entry('step.started', 'reserve'),
      entry('step.succeeded', 'reserve'),
      entry('step.started', 'charge'),
      entry('step.failed', 'charge'),
      entry('step.started', 'charge'),
      entry('step.failed', 'charge'),
      entry('saga.compensating'),
      entry('compensation.started', 'reserve'),
      entry('compensation.failed', 'reserve'),
      entry('compensation.started', 'reserve'),
      entry('compensation.succeeded', 'reserve'),
      entry('saga.compensated'),
    ];
    expect(labels(reachedCrashPoints(saga, history))).toEqual([
      'reserve/run/begun',
      'reserve/run/ran',
      'reserve/run/recorded',
      'charge/run/begun',
      'reserve/compensate/begun',
      'reserve/compensate/ran',
      'reserve/compensate/recorded',
    ]);
  });

  it('gives no point to a wait, which the engine carries out, nor to a skipped step', () => {
    const history = [entry('step.waiting', 'awaitPayment'), entry('event.received', 'awaitPayment')];
    expect(reachedCrashPoints(saga, [...history, entry('step.skipped', 'notify')])).toEqual([]);
  });

  it('names the points after the saga', () => {
    expect(reachedCrashPoints(saga, [entry('step.started', 'reserve')])).toEqual([
      { saga: 'order', step: 'reserve', phase: 'run', at: 'begun' },
    ]);
  });
});

describe('selectCrashPoints', () => {
  const reached = reachedCrashPoints(saga, [entry('step.started', 'reserve'), entry('step.succeeded', 'reserve')]);

  it('runs every reached point when none is asked for', () => {
    expect(selectCrashPoints(reached)).toEqual({ run: reached, unreached: [] });
  });

  it('runs the points asked for in the order they are reached, and lists those not reached', () => {
    const charge = { saga: 'order', step: 'charge', phase: 'run', at: 'ran' } as const;
    const recorded = { saga: 'order', step: 'reserve', phase: 'run', at: 'recorded' } as const;
    const begun = { saga: 'order', step: 'reserve', phase: 'run', at: 'begun' } as const;
    expect(selectCrashPoints(reached, [charge, recorded, begun])).toEqual({
      run: [begun, recorded],
      unreached: [charge],
    });
  });
});
