import { Injectable, Logger } from '@nestjs/common';
import type { SagaData, SagaStep, StepContext } from '@sagaflow/core';
import { TravelGateway } from '../gateways/travel.gateway';
import type { HotelBooking } from '../gateways/travel.types';
import type { TripInput } from '../input/trip.input';

/** What `bookHotel` receives: it runs first, beside `bookFlight`, so the input alone. @publicApi */
export type BookHotelData = SagaData<TripInput, object>;

/**
 * Books a room in the hotel for the trip's nights; undone by cancelling the booking.
 * @publicApi
 */
@Injectable()
export class BookHotelStep implements SagaStep<BookHotelData, HotelBooking> {
  private readonly logger = new Logger(BookHotelStep.name);

  constructor(private readonly travel: TravelGateway) {}

  /** @throws UnknownHotelError, HotelFullError (permanent: nothing to retry, nothing booked) */
  async run({ input }: BookHotelData, ctx: StepContext): Promise<HotelBooking> {
    const booking = await this.travel.bookHotel(
      input.tripId,
      input.hotel,
      input.nights,
      ctx.idempotencyKey,
      ctx.signal,
    );
    this.logger.log({
      message: 'Hotel booked',
      sagaId: ctx.sagaId,
      tripId: input.tripId,
      hotel: booking.item,
      nights: input.nights,
      bookingId: booking.bookingId,
    });
    return { bookingId: booking.bookingId, hotel: booking.item, nights: input.nights };
  }

  /**
   * Cancels the booking. Runs after a failed booking too (`compensateOnFailure`), looking it up by the run's
   * idempotency key; nothing moves if it never applied.
   */
  async compensate({ input }: BookHotelData, _booking: HotelBooking | undefined, ctx: StepContext): Promise<void> {
    const outcome = await this.travel.cancelBooking('hotel', input.tripId, input.hotel, ctx.runIdempotencyKey);
    this.logger.log({
      message: outcome === 'cancelled' ? 'Hotel booking cancelled' : `Hotel booking ${outcome}; nothing to give back`,
      sagaId: ctx.sagaId,
      tripId: input.tripId,
      hotel: input.hotel,
      bookingId: ctx.runIdempotencyKey,
    });
  }
}
