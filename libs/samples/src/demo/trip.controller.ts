import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TravelGateway, type TravelCatalogue, type TripRecord } from '../trip';
import { ApiErrorResponses } from '@sagaflow/server';
import { demoNotFound } from './demo-not-found';

/**
 * Read-outs of the demo travel agency, so that a trip's bookings and tickets can be watched. The payment is a
 * transfer of the demo bank: `GET /demo/accounts` and `GET /demo/ledger/:idempotencyKey` show it.
 */
@ApiTags('demo')
@Controller('demo')
export class TripController {
  constructor(private readonly travel: TravelGateway) {}

  @Get('travel')
  @ApiOperation({ summary: 'Every flight and hotel the demo agency sells, with the seats and rooms left' })
  @ApiOkResponse({ description: '`{ flights: [{ flight, seatsLeft }], hotels: [{ hotel, roomsLeft }] }`' })
  @ApiErrorResponses(503)
  catalogue(): Promise<TravelCatalogue> {
    return this.travel.catalogue();
  }

  /** The trip's bookings and tickets, oldest first, with their statuses now: 404 until something was booked for it. */
  @Get('trips/:tripId')
  @ApiOperation({ summary: "A trip's bookings and tickets" })
  @ApiOkResponse({
    description:
      '`{ tripId, bookings: [{ bookingId, kind, item, nights?, status, bookedAt, cancelledAt? }], ' +
      'tickets: [{ ticketId, flightBookingId, hotelBookingId, paymentId, amountCents, status, issuedAt }] }`',
  })
  @ApiErrorResponses([404, 'Nothing was ever booked for this trip.'], 503)
  async getTrip(@Param('tripId') tripId: string): Promise<TripRecord> {
    const trip = await this.travel.getTrip(tripId);
    if (!trip) throw demoNotFound(`The travel agency has booked nothing for trip "${tripId}".`);
    return trip;
  }
}
