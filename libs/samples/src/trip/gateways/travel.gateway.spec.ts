import { PermanentError, StoreUnavailableError } from '@sagaflow/core';
import { Redis } from 'ioredis';
import { BookingMismatchError } from '../errors/booking-mismatch.error';
import { BookingNotHeldError } from '../errors/booking-not-held.error';
import { BookingVoidedError } from '../errors/booking-voided.error';
import { FlightFullError } from '../errors/flight-full.error';
import { FlightGroundedError } from '../errors/flight-grounded.error';
import { HotelFullError } from '../errors/hotel-full.error';
import { TicketsVoidedError } from '../errors/tickets-voided.error';
import { UnknownFlightError } from '../errors/unknown-flight.error';
import { UnknownHotelError } from '../errors/unknown-hotel.error';
import { connect, deleteKeys, uniquePrefix } from '../../../../../test/support/redis';
import { DEMO_FLIGHTS, DEMO_HOTELS } from './demo-travel';
import { SLOW_BOOKING_MS } from './fault-triggers';
import { TravelGateway, type TicketsRequest } from './travel.gateway';

describe('TravelGateway (against a real Redis)', () => {
  const redis = connect();
  let prefix: string;
  let travel: TravelGateway;

  const seatsLeft = async (flight: string) =>
    (await travel.catalogue()).flights.find((entry) => entry.flight === flight)?.seatsLeft;
  const roomsLeft = async (hotel: string) =>
    (await travel.catalogue()).hotels.find((entry) => entry.hotel === hotel)?.roomsLeft;

  /** Books both halves of trip `t-1` and answers what tickets are issued against. */
  async function bookedTrip(flight = 'SF-101'): Promise<TicketsRequest> {
    const seat = await travel.bookFlight('t-1', flight, 'flight-1');
    const room = await travel.bookHotel('t-1', 'hotel-harbour', 3, 'hotel-1');
    return {
      tripId: 't-1',
      flight: { bookingId: seat.bookingId, flight },
      hotelBookingId: room.bookingId,
      paymentId: 'payment-1',
      amountCents: 80_000,
    };
  }

  beforeEach(async () => {
    prefix = uniquePrefix();
    travel = new TravelGateway(redis, prefix);
    await travel.seed();
  });
  afterEach(() => deleteKeys(redis, prefix));
  afterAll(() => redis.quit());

  describe('seed', () => {
    it('puts the demo flights and hotels on sale, sorted by id', async () => {
      const byId = (record: Readonly<Record<string, number>>) =>
        Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1));

      expect(await travel.catalogue()).toEqual({
        flights: byId(DEMO_FLIGHTS).map(([flight, seatsLeft]) => ({ flight, seatsLeft })),
        hotels: byId(DEMO_HOTELS).map(([hotel, roomsLeft]) => ({ hotel, roomsLeft })),
      });
    });

    it('keeps what is left of flights and hotels already on sale', async () => {
      await travel.bookFlight('t-1', 'SF-101', 'key-1');
      await travel.seed();
      expect(await seatsLeft('SF-101')).toBe(DEMO_FLIGHTS['SF-101'] - 1);
    });
  });

  describe('bookFlight', () => {
    it('takes one seat and records the booking as held', async () => {
      const booking = await travel.bookFlight('t-1', 'SF-101', 'key-1');

      expect(booking).toEqual({
        bookingId: 'key-1',
        kind: 'flight',
        item: 'SF-101',
        tripId: 't-1',
        status: 'held',
        bookedAt: expect.any(Number),
      });
      expect(await travel.getBooking('key-1')).toEqual(booking);
      expect(await seatsLeft('SF-101')).toBe(DEMO_FLIGHTS['SF-101'] - 1);
    });

    describe('when 20 calls with one key run at once', () => {
      it('takes exactly one seat, and they all answer the same booking', async () => {
        const bookings = await Promise.all(
          Array.from({ length: 20 }, () => travel.bookFlight('t-1', 'SF-101', 'key-1')),
        );

        expect(new Set(bookings.map((booking) => JSON.stringify(booking))).size).toBe(1);
        expect(await seatsLeft('SF-101')).toBe(DEMO_FLIGHTS['SF-101'] - 1);
      });
    });

    describe('when the flight has no seat left', () => {
      it('throws FlightFullError, a permanent error, and changes nothing', async () => {
        await travel.bookFlight('t-1', 'SF-303', 'key-1');
        await travel.bookFlight('t-2', 'SF-303', 'key-2');
        const booking = travel.bookFlight('t-3', 'SF-303', 'key-3');

        await expect(booking).rejects.toThrow(FlightFullError);
        await expect(booking).rejects.toMatchObject({ code: 'TRIP.FLIGHT_FULL', flight: 'SF-303' });
        await expect(booking).rejects.toBeInstanceOf(PermanentError);
        expect(await seatsLeft('SF-303')).toBe(0);
        expect(await travel.getBooking('key-3')).toBeUndefined();
        expect(await travel.getTrip('t-3')).toBeUndefined();
      });
    });

    it('throws UnknownFlightError, a permanent error, for a flight the agency does not sell', async () => {
      const booking = travel.bookFlight('t-1', 'XX-999', 'key-1');

      await expect(booking).rejects.toThrow(UnknownFlightError);
      await expect(booking).rejects.toMatchObject({ code: 'TRIP.UNKNOWN_FLIGHT', flight: 'XX-999' });
      expect(await travel.getBooking('key-1')).toBeUndefined();
    });

    describe('when the key already records another booking', () => {
      it('throws BookingMismatchError and takes no seat', async () => {
        await travel.bookFlight('t-1', 'SF-101', 'key-1');

        await expect(travel.bookFlight('t-1', 'SF-202', 'key-1')).rejects.toThrow(BookingMismatchError);
        await expect(travel.bookFlight('t-2', 'SF-101', 'key-1')).rejects.toThrow(BookingMismatchError);
        await expect(travel.bookHotel('t-1', 'SF-101', 2, 'key-1')).rejects.toMatchObject({
          code: 'TRIP.BOOKING_MISMATCH',
          recorded: { bookingId: 'key-1', kind: 'flight', item: 'SF-101' },
        });
        expect(await seatsLeft('SF-101')).toBe(DEMO_FLIGHTS['SF-101'] - 1);
        expect(await seatsLeft('SF-202')).toBe(DEMO_FLIGHTS['SF-202']);
      });
    });

    describe('when the flight is slow-…', () => {
      it('books after about a second', async () => {
        const started = Date.now();
        await travel.bookFlight('t-1', 'slow-1', 'key-1');

        expect(Date.now() - started).toBeGreaterThanOrEqual(SLOW_BOOKING_MS - 50);
        expect(await seatsLeft('slow-1')).toBe(DEMO_FLIGHTS['slow-1'] - 1);
      });

      it('books nothing when the signal aborts the wait', async () => {
        const booking = travel.bookFlight('t-1', 'slow-1', 'key-1', AbortSignal.timeout(50));

        await expect(booking).rejects.toMatchObject({ name: 'AbortError' });
        expect(await travel.getBooking('key-1')).toBeUndefined();
        expect(await seatsLeft('slow-1')).toBe(DEMO_FLIGHTS['slow-1']);
      });
    });
  });

  describe('bookHotel', () => {
    it('takes one room for the nights and records the booking as held', async () => {
      const booking = await travel.bookHotel('t-1', 'hotel-harbour', 3, 'key-1');

      expect(booking).toMatchObject({ bookingId: 'key-1', kind: 'hotel', item: 'hotel-harbour', nights: 3 });
      expect(await travel.bookHotel('t-1', 'hotel-harbour', 3, 'key-1')).toEqual(booking);
      expect(await roomsLeft('hotel-harbour')).toBe(DEMO_HOTELS['hotel-harbour'] - 1);
    });

    describe('when the hotel is full-…', () => {
      it('throws HotelFullError, a permanent error, and changes nothing', async () => {
        const booking = travel.bookHotel('t-1', 'full-1', 2, 'key-1');

        await expect(booking).rejects.toThrow(HotelFullError);
        await expect(booking).rejects.toMatchObject({ code: 'TRIP.HOTEL_FULL', hotel: 'full-1' });
        await expect(booking).rejects.toBeInstanceOf(PermanentError);
        expect(await travel.getBooking('key-1')).toBeUndefined();
      });
    });

    it('throws HotelFullError once the last room is taken', async () => {
      await travel.bookHotel('t-1', 'hotel-cabin', 2, 'key-1');

      await expect(travel.bookHotel('t-2', 'hotel-cabin', 2, 'key-2')).rejects.toThrow(HotelFullError);
      expect(await roomsLeft('hotel-cabin')).toBe(0);
    });

    it('throws UnknownHotelError for a hotel the agency does not sell', async () => {
      await expect(travel.bookHotel('t-1', 'hotel-nowhere', 2, 'key-1')).rejects.toMatchObject({
        code: 'TRIP.UNKNOWN_HOTEL',
        hotel: 'hotel-nowhere',
      });
      await expect(travel.bookHotel('t-1', 'hotel-nowhere', 2, 'key-1')).rejects.toThrow(UnknownHotelError);
    });

    it('refuses nights that are not a positive integer, before Redis sees them', async () => {
      await expect(travel.bookHotel('t-1', 'hotel-harbour', 0, 'key-1')).rejects.toThrow(RangeError);
      await expect(travel.bookHotel('t-1', 'hotel-harbour', 1.5, 'key-1')).rejects.toThrow(RangeError);
      expect(await roomsLeft('hotel-harbour')).toBe(DEMO_HOTELS['hotel-harbour']);
    });
  });

  describe('cancelBooking', () => {
    it('gives the seat back once, and keeps the booking as cancelled', async () => {
      await travel.bookFlight('t-1', 'SF-101', 'key-1');

      expect(await travel.cancelBooking('flight', 't-1', 'SF-101', 'key-1')).toBe('cancelled');
      expect(await travel.cancelBooking('flight', 't-1', 'SF-101', 'key-1')).toBe('already-cancelled');
      expect(await seatsLeft('SF-101')).toBe(DEMO_FLIGHTS['SF-101']);
      expect(await travel.getBooking('key-1')).toMatchObject({ status: 'cancelled', cancelledAt: expect.any(Number) });
    });

    it('gives one room back of 20 cancellations at once', async () => {
      await travel.bookHotel('t-1', 'hotel-cabin', 2, 'key-1');

      const outcomes = await Promise.all(
        Array.from({ length: 20 }, () => travel.cancelBooking('hotel', 't-1', 'hotel-cabin', 'key-1')),
      );
      expect(outcomes.filter((outcome) => outcome === 'cancelled')).toHaveLength(1);
      expect(await roomsLeft('hotel-cabin')).toBe(1);
    });

    describe('when nothing was booked under the key', () => {
      it('voids it: a late booking under it throws BookingVoidedError and takes no seat', async () => {
        expect(await travel.cancelBooking('flight', 't-1', 'SF-101', 'key-1')).toBe('voided');
        expect(await travel.cancelBooking('flight', 't-1', 'SF-101', 'key-1')).toBe('already-cancelled');
        const late = travel.bookFlight('t-1', 'SF-101', 'key-1');

        await expect(late).rejects.toThrow(BookingVoidedError);
        await expect(late).rejects.toMatchObject({ code: 'TRIP.BOOKING_VOIDED', bookingId: 'key-1' });
        expect(await seatsLeft('SF-101')).toBe(DEMO_FLIGHTS['SF-101']);
        expect(await travel.getTrip('t-1')).toBeUndefined();
      });
    });

    it('throws BookingMismatchError for a key that records another booking, and gives nothing back', async () => {
      await travel.bookFlight('t-1', 'SF-101', 'key-1');

      await expect(travel.cancelBooking('hotel', 't-1', 'SF-101', 'key-1')).rejects.toThrow(BookingMismatchError);
      await expect(travel.cancelBooking('flight', 't-1', 'SF-202', 'key-1')).rejects.toThrow(BookingMismatchError);
      expect(await travel.getBooking('key-1')).toMatchObject({ status: 'held' });
      expect(await seatsLeft('SF-101')).toBe(DEMO_FLIGHTS['SF-101'] - 1);
    });
  });

  describe('issueTickets', () => {
    it('issues the tickets once per key against both held bookings', async () => {
      const request = await bookedTrip();
      const tickets = await travel.issueTickets(request, 'tickets-1');

      expect(tickets).toEqual({
        ticketId: 'tickets-1',
        tripId: 't-1',
        flightBookingId: 'flight-1',
        hotelBookingId: 'hotel-1',
        paymentId: 'payment-1',
        amountCents: 80_000,
        status: 'issued',
        issuedAt: expect.any(Number),
      });
      expect(await travel.issueTickets(request, 'tickets-1')).toEqual(tickets);
      expect((await travel.getTrip('t-1'))?.tickets).toEqual([tickets]);
    });

    describe('when a booking is not held', () => {
      it('throws BookingNotHeldError, a permanent error, and issues nothing', async () => {
        const request = await bookedTrip();
        await travel.cancelBooking('hotel', 't-1', 'hotel-harbour', 'hotel-1');
        const issuing = travel.issueTickets(request, 'tickets-1');

        await expect(issuing).rejects.toThrow(BookingNotHeldError);
        await expect(issuing).rejects.toMatchObject({
          code: 'TRIP.BOOKING_NOT_HELD',
          bookingId: 'hotel-1',
          status: 'cancelled',
        });
        await expect(
          travel.issueTickets({ ...request, hotelBookingId: 'hotel-never' }, 'tickets-1'),
        ).rejects.toMatchObject({ bookingId: 'hotel-never', status: undefined });
        expect((await travel.getTrip('t-1'))?.tickets).toEqual([]);
      });
    });

    describe('when the flight is grounded-…', () => {
      it('throws FlightGroundedError, a permanent error, though the seat was booked', async () => {
        const request = await bookedTrip('grounded-1');
        const issuing = travel.issueTickets(request, 'tickets-1');

        await expect(issuing).rejects.toThrow(FlightGroundedError);
        await expect(issuing).rejects.toMatchObject({ code: 'TRIP.FLIGHT_GROUNDED', flight: 'grounded-1' });
        expect((await travel.getTrip('t-1'))?.tickets).toEqual([]);
      });
    });

    it('refuses an amount that is not a positive integer', async () => {
      const request = await bookedTrip();
      await expect(travel.issueTickets({ ...request, amountCents: 0 }, 'tickets-1')).rejects.toThrow(RangeError);
    });
  });

  describe('voidTickets', () => {
    it('withdraws issued tickets once', async () => {
      await travel.issueTickets(await bookedTrip(), 'tickets-1');

      expect(await travel.voidTickets('t-1', 'tickets-1')).toBe('voided');
      expect(await travel.voidTickets('t-1', 'tickets-1')).toBe('already-voided');
      expect((await travel.getTrip('t-1'))?.tickets).toEqual([expect.objectContaining({ status: 'voided' })]);
    });

    describe('when nothing was issued under the key', () => {
      it('voids it: a late issue under it throws TicketsVoidedError', async () => {
        const request = await bookedTrip();

        expect(await travel.voidTickets('t-1', 'tickets-1')).toBe('never-issued');
        expect(await travel.voidTickets('t-1', 'tickets-1')).toBe('already-voided');
        const late = travel.issueTickets(request, 'tickets-1');
        await expect(late).rejects.toThrow(TicketsVoidedError);
        await expect(late).rejects.toMatchObject({ code: 'TRIP.TICKETS_VOIDED', ticketId: 'tickets-1' });
        expect((await travel.getTrip('t-1'))?.tickets).toEqual([]);
      });
    });
  });

  describe('getTrip', () => {
    it('lists the bookings of the trip, oldest first, with their statuses now', async () => {
      await travel.bookFlight('t-1', 'SF-101', 'flight-1');
      await travel.bookHotel('t-1', 'hotel-harbour', 2, 'hotel-1');
      await travel.bookFlight('t-2', 'SF-101', 'flight-2');
      await travel.cancelBooking('flight', 't-1', 'SF-101', 'flight-1');

      const trip = await travel.getTrip('t-1');
      expect(trip?.bookings.map(({ bookingId, status }) => [bookingId, status])).toEqual([
        ['flight-1', 'cancelled'],
        ['hotel-1', 'held'],
      ]);
      expect(trip).toMatchObject({ tripId: 't-1', tickets: [] });
    });

    it('answers undefined for a trip nothing was booked for', async () => {
      expect(await travel.getTrip('t-404')).toBeUndefined();
    });
  });

  describe('when Redis cannot be reached', () => {
    it("fails with the engine's StoreUnavailableError, so the API answers 503 and a step retries", async () => {
      // Never connected, and no offline queue: every command fails at once, as on the API's connection.
      const unreachable = new Redis({ lazyConnect: true, enableOfflineQueue: false });
      const offline = new TravelGateway(unreachable, prefix);

      await expect(offline.getTrip('t-1')).rejects.toThrow(StoreUnavailableError);
      await expect(offline.bookFlight('t-1', 'SF-101', 'key-1')).rejects.toThrow(StoreUnavailableError);
      unreachable.disconnect();
    });
  });
});
