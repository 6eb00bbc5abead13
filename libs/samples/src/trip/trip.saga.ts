import { defineSaga } from '@sagaflow/core';
import { transferSaga } from '../transfer';
import { TripInput } from './input/trip.input';
import { tripTransfer } from './payment/trip-transfer';
import { BookFlightStep } from './steps/book-flight.step';
import { BookHotelStep } from './steps/book-hotel.step';
import { IssueTicketsStep } from './steps/issue-tickets.step';

/**
 * Every step of the agency is compensated after its own failure too: an attempt that timed out may still have
 * booked (or issued). Backoffs are short so that the demo, and the tests, show retries within seconds.
 */
const AGENCY_STEP = {
  timeout: '5s',
  retry: { attempts: 3, backoff: '200ms' },
  compensation: { retry: { attempts: 5, backoff: '200ms' } },
  compensateOnFailure: true,
} as const;

/**
 * A travel agency books a trip: the flight and the hotel at the same time (a parallel group, each booking in a job
 * of its own), then the payment, which is the transfer saga run as a child (from the traveller's account to the
 * agency's, under the transfer id `trip-<tripId>`), then the tickets, issued against both bookings and the payment.
 *
 * When a booking fails for good, the other one finishes and is cancelled, and no money moves. When the payment
 * ends compensated (an account without the funds, say), `pay` fails with `SAGA.CHILD_FAILED` and both bookings are
 * cancelled. When the tickets cannot be issued (a grounded flight), the completed payment is compensated as a whole
 * (the money goes back) and both bookings are cancelled. Cancelling a trip while it pays cancels the transfer.
 *
 * The transfer saga must be registered beside this one (`SagaModule.forFeature([tripSaga, transferSaga])`): workers
 * refuse to boot otherwise. A transfer parked for an operator holds the trip for up to an hour; then `pay` fails and
 * the trip waits, compensating, for the transfer to be undone.
 * @publicApi
 */
export const tripSaga = defineSaga('trip', { version: 1, input: TripInput })
  .parallel('book', (group) =>
    group.step('bookFlight', BookFlightStep, AGENCY_STEP).step('bookHotel', BookHotelStep, AGENCY_STEP),
  )
  .child('pay', transferSaga, { input: ({ input }) => tripTransfer(input), timeout: '1h' })
  .step('issueTickets', IssueTicketsStep, AGENCY_STEP)
  .build();
