import { Injectable, Logger } from '@nestjs/common';
import type { SagaData, SagaStep, StepContext } from '@sagaflow/core';
import { TravelGateway } from '../gateways/travel.gateway';
import type { FlightBooking, HotelBooking, TripTickets } from '../gateways/travel.types';
import type { TripInput } from '../input/trip.input';
import type { TripPayment } from '../payment/trip-transfer';

/**
 * What `issueTickets` receives: both bookings and the payment, so it cannot be placed before the group that books
 * or the child saga that pays (that fails to compile).
 * @publicApi
 */
export type IssueTicketsData = SagaData<
  TripInput,
  { bookFlight: FlightBooking; bookHotel: HotelBooking; pay: TripPayment }
>;

/**
 * Issues the trip's tickets against its two bookings and the money the agency received; undone by voiding them.
 * @publicApi
 */
@Injectable()
export class IssueTicketsStep implements SagaStep<IssueTicketsData, TripTickets> {
  private readonly logger = new Logger(IssueTicketsStep.name);

  constructor(private readonly travel: TravelGateway) {}

  /**
   * @throws FlightGroundedError (permanent): the whole trip is undone, the payment included; BookingNotHeldError
   * (permanent) when a booking was cancelled behind the saga's back
   */
  async run({ input, outputs }: IssueTicketsData, ctx: StepContext): Promise<TripTickets> {
    const { bookFlight, bookHotel, pay } = outputs;
    // What the agency was credited, not the input's price: the tickets record the money actually received.
    const received = pay.creditDestination;
    const tickets = await this.travel.issueTickets(
      {
        tripId: input.tripId,
        flight: bookFlight,
        hotelBookingId: bookHotel.bookingId,
        paymentId: received.operationId,
        amountCents: received.amountCents,
      },
      ctx.idempotencyKey,
    );
    this.logger.log({
      message: 'Tickets issued',
      sagaId: ctx.sagaId,
      tripId: input.tripId,
      flight: bookFlight.flight,
      hotel: bookHotel.hotel,
      nights: bookHotel.nights,
      paymentId: received.operationId,
    });
    return tickets;
  }

  /**
   * Voids the tickets. Runs after a failed issue too (`compensateOnFailure`), looking them up by the run's
   * idempotency key; an issue that never applied is voided so that a late attempt cannot apply either.
   */
  async compensate({ input }: IssueTicketsData, _tickets: TripTickets | undefined, ctx: StepContext): Promise<void> {
    const outcome = await this.travel.voidTickets(input.tripId, ctx.runIdempotencyKey);
    this.logger.log({
      message: outcome === 'voided' ? 'Tickets voided' : `Tickets ${outcome}; nothing to withdraw`,
      sagaId: ctx.sagaId,
      tripId: input.tripId,
    });
  }
}
