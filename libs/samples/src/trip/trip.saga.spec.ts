import { defineSaga, type SagaDefinition } from '@sagaflow/core';
import type { transferSaga } from '../transfer';
import { TripInput } from './input/trip.input';
import type { BookFlightStep } from './steps/book-flight.step';
import type { BookHotelStep } from './steps/book-hotel.step';
import type { IssueTicketsStep } from './steps/issue-tickets.step';
import type { tripSaga } from './trip.saga';

// The step classes and the saga itself import Nest, which Jest cannot load: this spec checks the typing with
// stand-ins of their types. ts-jest type-checks it, so a line marked @ts-expect-error that compiles fails the run.

/** A stand-in of a step or definition whose type only matters here; the builder reads no more than its shape. */
const standIn = <T>(shape: object): T => shape as T;
const step = <T>() => standIn<T>({ run: async () => ({}), compensate: async () => undefined });
const transfer = standIn<typeof transferSaga>({ name: 'transfer' });

type OutputsOf<S> = S extends SagaDefinition<TripInput, infer O> ? O : never;

describe('the trip saga definition', () => {
  it("types every step's output for the steps after it, the child's outputs by the transfer's step names", () => {
    type Outputs = OutputsOf<typeof tripSaga>;
    const received: Outputs['pay']['creditDestination']['amountCents'] = 84_000;
    const ticketed: Outputs['issueTickets']['status'] = 'issued';
    const nights: Outputs['bookHotel']['nights'] = 3;

    expect([received, ticketed, nights]).toEqual([84_000, 'issued', 3]);
  });

  it('compiles with issueTickets after the bookings and the payment', () => {
    const saga = defineSaga('trip', { input: TripInput })
      .parallel('book', (group) =>
        group.step('bookFlight', step<BookFlightStep>()).step('bookHotel', step<BookHotelStep>()),
      )
      .child('pay', transfer, { input: () => standIn({}) })
      .step('issueTickets', step<IssueTicketsStep>())
      .build();

    expect(saga.steps.map(({ name, group }) => [name, group])).toEqual([
      ['bookFlight', 'book'],
      ['bookHotel', 'book'],
      ['pay', undefined],
      ['issueTickets', undefined],
    ]);
    expect(saga.steps[2].child).toMatchObject({ saga: 'transfer' });
  });

  it('does not compile with issueTickets before the payment, or beside the bookings', () => {
    const booked = defineSaga('trip', { input: TripInput }).parallel('book', (group) =>
      group.step('bookFlight', step<BookFlightStep>()).step('bookHotel', step<BookHotelStep>()),
    );

    // @ts-expect-error issueTickets needs the output of "pay", which does not run before it
    booked.step('issueTickets', step<IssueTicketsStep>());
    defineSaga('trip', { input: TripInput }).parallel('book', (group) =>
      group
        .step('bookFlight', step<BookFlightStep>())
        // @ts-expect-error issueTickets needs the bookings, which run beside it, not before it
        .step('issueTickets', step<IssueTicketsStep>()),
    );
  });
});
