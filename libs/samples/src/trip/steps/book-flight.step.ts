import { Injectable, Logger } from '@nestjs/common';
import type { SagaData, SagaStep, StepContext } from '@sagaflow/core';
import { TravelGateway } from '../gateways/travel.gateway';
import type { FlightBooking } from '../gateways/travel.types';
import type { TripInput } from '../input/trip.input';

/** What `bookFlight` receives: it runs first, beside `bookHotel`, so the input alone. @publicApi */
export type BookFlightData = SagaData<TripInput, object>;

/**
 * Books the traveller's seat on the flight; undone by cancelling the booking.
 * @publicApi
 */
@Injectable()
export class BookFlightStep implements SagaStep<BookFlightData, FlightBooking> {
  private readonly logger = new Logger(BookFlightStep.name);

  constructor(private readonly travel: TravelGateway) {}

  /** @throws UnknownFlightError, FlightFullError (permanent: nothing to retry, nothing booked) */
  async run({ input }: BookFlightData, ctx: StepContext): Promise<FlightBooking> {
    const booking = await this.travel.bookFlight(input.tripId, input.flight, ctx.idempotencyKey, ctx.signal);
    this.logger.log({
      message: 'Flight booked',
      sagaId: ctx.sagaId,
      tripId: input.tripId,
      flight: booking.item,
      bookingId: booking.bookingId,
    });
    return { bookingId: booking.bookingId, flight: booking.item };
  }

  /**
   * Cancels the booking. Runs after a failed booking too (`compensateOnFailure`): an attempt that timed out may
   * have booked, so the booking is looked up by the run's idempotency key, and nothing moves if it never applied.
   */
  async compensate({ input }: BookFlightData, _booking: FlightBooking | undefined, ctx: StepContext): Promise<void> {
    const outcome = await this.travel.cancelBooking('flight', input.tripId, input.flight, ctx.runIdempotencyKey);
    this.logger.log({
      message: outcome === 'cancelled' ? 'Flight booking cancelled' : `Flight booking ${outcome}; nothing to give back`,
      sagaId: ctx.sagaId,
      tripId: input.tripId,
      flight: input.flight,
      bookingId: ctx.runIdempotencyKey,
    });
  }
}
