import { IsString } from 'class-validator';
import { InvalidSagaDefinitionError } from '../errors/invalid-saga-definition.error';
import { defineSaga } from './define-saga';
import type { SagaData, SagaStep } from './saga-step';

class OrderInput {
  @IsString()
  orderId!: string;
}

class ReserveStep implements SagaStep<SagaData<OrderInput, {}>, { reservationId: string }> {
  async run({ input }: SagaData<OrderInput, {}>) {
    return { reservationId: `r-${input.orderId}` };
  }
  async compensate() {}
}

class ChargeStep {
  async run({ outputs }: SagaData<OrderInput, { reserve: { reservationId: string } }>) {
    return { chargeId: `c-${outputs.reserve.reservationId}` };
  }
}

describe('defineSaga', () => {
  it('keeps the signals it declares and the queries added, by name', () => {
    const saga = defineSaga('order', { input: OrderInput, signals: { approval: OrderInput } })
      .step('reserve', ReserveStep)
      .query('reservation', ({ outputs }) => outputs.reserve?.reservationId ?? null)
      .build();
    expect(saga.signals).toEqual({ approval: { name: 'approval', payload: OrderInput } });
    expect(saga.queries.reservation.name).toBe('reservation');
    expect(saga.queries.reservation.resolve({ outputs: { reserve: { reservationId: 'r-1' } } } as never)).toBe('r-1');
  });

  it('keeps the steps in order with their options resolved to milliseconds', () => {
    const saga = defineSaga('order', { version: 2, input: OrderInput })
      .step('reserve', ReserveStep, { timeout: '5s', retry: { attempts: 4, backoff: '250ms' } })
      .step('charge', ChargeStep, { compensation: { retry: { backoff: { type: 'exponential', delay: '1s' } } } })
      .build();

    expect(saga.name).toBe('order');
    expect(saga.version).toBe(2);
    expect(saga.steps.map((step) => step.name)).toEqual(['reserve', 'charge']);
    expect(saga.steps[0].run).toEqual({ attempts: 4, backoff: { type: 'fixed', delayMs: 250 }, timeoutMs: 5_000 });
    expect(saga.steps[1].compensation.backoff).toEqual({ type: 'exponential', delayMs: 1_000 });
  });

  it('applies defaults: 3 attempts per run, 10 per compensation, exponential backoff, 60 s timeout', () => {
    const [step] = defineSaga('order', { input: OrderInput }).step('reserve', ReserveStep).build().steps;
    expect(step.run).toEqual({ attempts: 3, backoff: { type: 'exponential', delayMs: 1_000 }, timeoutMs: 60_000 });
    expect(step.compensation.attempts).toBe(10);
  });

  it('marks a step compensable only when its class has a compensate method', () => {
    const saga = defineSaga('order', { input: OrderInput })
      .step('reserve', ReserveStep)
      .step('charge', ChargeStep)
      .build();
    expect(saga.steps.map((step) => step.compensable)).toEqual([true, false]);
  });

  it('rejects a step that needs outputs of a later step, at compile time', () => {
    // @ts-expect-error ChargeStep needs the output of "reserve", which does not run before it
    expect(() => defineSaga('order', { input: OrderInput }).step('charge', ChargeStep)).not.toThrow();
  });

  describe('parallel groups', () => {
    class QuoteStep {
      async run({ input }: SagaData<OrderInput, {}>) {
        return { quote: input.orderId.length };
      }
    }
    class ShipStep {
      async run({ outputs }: SagaData<OrderInput, { reserve: { reservationId: string }; quote: { quote: number } }>) {
        return { label: `${outputs.reserve.reservationId}/${outputs.quote.quote}` };
      }
    }

    it('lays the group out as adjacent steps of one group, whose outputs the steps after it can use', () => {
      const saga = defineSaga('order', { input: OrderInput })
        .parallel('prepare', (group) => group.step('reserve', ReserveStep).step('quote', QuoteStep))
        .step('ship', ShipStep)
        .build();
      expect(saga.steps.map((step) => [step.name, step.group])).toEqual([
        ['reserve', 'prepare'],
        ['quote', 'prepare'],
        ['ship', undefined],
      ]);
    });

    it('rejects a step of the group that needs the output of another step of it, at compile time', () => {
      expect(() =>
        defineSaga('order', { input: OrderInput }).parallel('prepare', (group) =>
          // @ts-expect-error ChargeStep needs "reserve", which runs beside it, not before it
          group.step('reserve', ReserveStep).step('charge', ChargeStep),
        ),
      ).not.toThrow();
    });

    it.each([
      [
        'one step only',
        () => defineSaga('o', { input: OrderInput }).parallel('p', (group) => group.step('a', ReserveStep)),
      ],
      [
        'a step name taken before the group',
        () =>
          defineSaga('o', { input: OrderInput })
            .step('reserve', ReserveStep)
            .parallel('p', (group) => group.step('reserve' as never, ReserveStep).step('quote', QuoteStep)),
      ],
      [
        'a step name taken twice in the group',
        () =>
          defineSaga('o', { input: OrderInput }).parallel('p', (group) =>
            group.step('a', ReserveStep).step('a' as never, QuoteStep),
          ),
      ],
      [
        'a group named as a step',
        () =>
          defineSaga('o', { input: OrderInput })
            .step('reserve', ReserveStep)
            .parallel('reserve' as never, (group) => group.step('a', ReserveStep).step('b', QuoteStep)),
      ],
    ])('throws InvalidSagaDefinitionError for %s', (_case, build) => {
      expect(build).toThrow(InvalidSagaDefinitionError);
    });
  });

  describe('when the definition cannot run as written', () => {
    it.each([
      [
        'a duplicate step name',
        () =>
          defineSaga('o', { input: OrderInput })
            .step('a', ReserveStep)
            .step('a' as never, ReserveStep),
      ],
      ['no steps', () => defineSaga('o', { input: OrderInput }).build()],
      ['a saga name with a colon', () => defineSaga('o:x', { input: OrderInput })],
      ['a zero version', () => defineSaga('o', { version: 0, input: OrderInput })],
      [
        'zero attempts',
        () => defineSaga('o', { input: OrderInput }).step('a', ReserveStep, { retry: { attempts: 0 } }),
      ],
      [
        'compensateOnFailure without a compensation',
        () =>
          defineSaga('o', { input: OrderInput }).step('a', { run: async () => ({}) }, { compensateOnFailure: true }),
      ],
      [
        'a malformed timeout',
        () => defineSaga('o', { input: OrderInput }).step('a', ReserveStep, { timeout: '5 sec' as never }),
      ],
      ['a signal name with a colon', () => defineSaga('o', { input: OrderInput, signals: { 'a:b': OrderInput } })],
      [
        'a signal without a payload class',
        () => defineSaga('o', { input: OrderInput, signals: { approval: 'Approval' as never } }),
      ],
      [
        'a wait for a signal not declared',
        () => defineSaga('o', { input: OrderInput }).waitForSignal('w', { signal: 'approval' as never, timeout: '1s' }),
      ],
      [
        'a query defined twice',
        () =>
          defineSaga('o', { input: OrderInput })
            .step('a', ReserveStep)
            .query('q', () => 1)
            .query('q' as never, () => 2),
      ],
    ])('throws InvalidSagaDefinitionError for %s', (_case, build) => {
      expect(build).toThrow(InvalidSagaDefinitionError);
    });
  });
});
