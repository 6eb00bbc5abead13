import { setTimeout as delay } from 'node:timers/promises';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { LuaScripts, execAll, guardRedis } from '@sagaflow/core';
import { BookingMismatchError } from '../errors/booking-mismatch.error';
import { BookingNotHeldError } from '../errors/booking-not-held.error';
import { BookingVoidedError } from '../errors/booking-voided.error';
import { FlightFullError } from '../errors/flight-full.error';
import { FlightGroundedError } from '../errors/flight-grounded.error';
import { HotelFullError } from '../errors/hotel-full.error';
import { TicketsVoidedError } from '../errors/tickets-voided.error';
import { UnknownFlightError } from '../errors/unknown-flight.error';
import { UnknownHotelError } from '../errors/unknown-hotel.error';
import { DEMO_FLIGHTS, DEMO_HOTELS } from './demo-travel';
import { FAULT_TRIGGERS, SLOW_BOOKING_MS } from './fault-triggers';
import { TravelKeys } from './travel-keys';
import type {
  Booking,
  BookingKind,
  BookingStatus,
  CancelOutcome,
  TravelCatalogue,
  TripRecord,
  TripTickets,
  VoidOutcome,
} from './travel.types';
import { LUA_DIR } from '../../lua-dir';

const SCRIPTS = ['book-3.lua', 'cancel-booking-2.lua', 'issue-tickets-3.lua', 'void-tickets-1.lua'] as const;

/** Replies of the scripts, as their headers document them. */
type BookReply = [code: 0 | 1, booking: string] | [code: -1 | -2 | -3] | [code: -4, booking: string];
type CancelReply = [code: 1 | 0 | -1 | -4, booking: string];
type IssueReply = [code: 0 | 1, tickets: string] | [code: -2, bookingId: string, status: string] | [code: -3];
type VoidReply = [code: 1 | 0 | -1];

const CANCEL_OUTCOMES: Readonly<Record<1 | 0 | -1, CancelOutcome>> = {
  1: 'cancelled',
  0: 'already-cancelled',
  [-1]: 'voided',
};
const VOID_OUTCOMES: Readonly<Record<VoidReply[0], VoidOutcome>> = {
  1: 'voided',
  0: 'already-voided',
  [-1]: 'never-issued',
};

/** A booking as asked for: what a key must record to be this booking. */
type Requested = Pick<Booking, 'kind' | 'item' | 'tripId' | 'nights'>;

/**
 * What tickets are issued against: the trip's two bookings and its payment.
 * @publicApi
 */
export interface TicketsRequest {
  readonly tripId: string;
  /** The flight booking's id (its idempotency key) and flight code; a grounded flight refuses tickets. */
  readonly flight: { readonly bookingId: string; readonly flight: string };
  readonly hotelBookingId: string;
  readonly paymentId: string;
  readonly amountCents: number;
}

/**
 * A fake but stateful travel agency in Redis: seats left per flight, rooms left per hotel, and a record of every
 * booking and every set of tickets under its idempotency key. Booking, cancelling, issuing and voiding are each
 * one Lua script that applies at most once per key, so that a retried or redelivered step never takes two seats,
 * and a compensation never gives one back twice. The ids in {@link FAULT_TRIGGERS} make it misbehave.
 *
 * A plain class, free of Nest: `TripSagaModule` builds it on the engine's connection and key prefix, and its state
 * lives under `<prefix>:demo:{travel}:`.
 * @publicApi
 */
export class TravelGateway {
  private readonly keys: TravelKeys;
  private readonly scripts: LuaScripts<(typeof SCRIPTS)[number]>;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = new TravelKeys(prefix);
    this.scripts = new LuaScripts(redis, join(LUA_DIR, 'trip'), SCRIPTS, 'travelDemo');
  }

  /** Puts the {@link DEMO_FLIGHTS} and {@link DEMO_HOTELS} on sale that are not yet; those present keep what is left. */
  async seed(): Promise<void> {
    const transaction = this.redis.multi();
    for (const [flight, seats] of Object.entries(DEMO_FLIGHTS)) {
      transaction.hsetnx(this.keys.availability('flight'), flight, seats);
    }
    for (const [hotel, rooms] of Object.entries(DEMO_HOTELS)) {
      transaction.hsetnx(this.keys.availability('hotel'), hotel, rooms);
    }
    await execAll(transaction);
  }

  /** Every flight and hotel on sale with what is left, read in one transaction. */
  async catalogue(): Promise<TravelCatalogue> {
    const [flights, hotels] = (await execAll(
      this.redis.multi().hgetall(this.keys.availability('flight')).hgetall(this.keys.availability('hotel')),
    )) as [Record<string, string>, Record<string, string>];
    return {
      flights: sortedIds(flights).map((flight) => ({ flight, seatsLeft: Number(flights[flight]) })),
      hotels: sortedIds(hotels).map((hotel) => ({ hotel, roomsLeft: Number(hotels[hotel]) })),
    };
  }

  /**
   * Books one seat on the flight for the trip, once per idempotency key: a repeated call returns the booking made
   * the first time and takes no other seat.
   * @param signal - aborts the wait of a {@link FAULT_TRIGGERS.slowPrefix} flight; nothing is booked then
   * @throws UnknownFlightError, FlightFullError (permanent; nothing booked); BookingVoidedError when the key was
   * cancelled before it applied; BookingMismatchError when the key records another booking
   */
  async bookFlight(tripId: string, flight: string, idempotencyKey: string, signal?: AbortSignal): Promise<Booking> {
    if (flight.startsWith(FAULT_TRIGGERS.slowPrefix)) await delay(SLOW_BOOKING_MS, undefined, { signal });
    return this.book({ kind: 'flight', item: flight, tripId }, idempotencyKey);
  }

  /**
   * Books one room in the hotel for the trip's nights, once per idempotency key, like {@link TravelGateway.bookFlight}.
   * @throws HotelFullError (permanent) for a {@link FAULT_TRIGGERS.fullHotelPrefix} hotel or one with no room
   * left; UnknownHotelError (permanent); otherwise as {@link TravelGateway.bookFlight}
   * @throws RangeError when nights is not a positive integer
   */
  async bookHotel(
    tripId: string,
    hotel: string,
    nights: number,
    idempotencyKey: string,
    signal?: AbortSignal,
  ): Promise<Booking> {
    if (!Number.isSafeInteger(nights) || nights < 1) {
      throw new RangeError(`nights must be a positive integer, got ${nights}.`);
    }
    if (hotel.startsWith(FAULT_TRIGGERS.fullHotelPrefix)) throw new HotelFullError(hotel);
    if (hotel.startsWith(FAULT_TRIGGERS.slowPrefix)) await delay(SLOW_BOOKING_MS, undefined, { signal });
    return this.book({ kind: 'hotel', item: hotel, tripId, nights }, idempotencyKey);
  }

  /**
   * Cancels the booking made under `bookingId`, once: its seat or room goes back on sale. When nothing was booked
   * under it (a crash before the booking), nothing moves, and the key is voided so that the booking can no longer
   * apply afterwards.
   * @throws BookingMismatchError when the key records another booking; nothing changed
   */
  async cancelBooking(kind: BookingKind, tripId: string, item: string, bookingId: string): Promise<CancelOutcome> {
    const [code, json] = await this.scripts.run<CancelReply>(
      'cancel-booking-2.lua',
      [this.keys.availability(kind), this.keys.bookings()],
      [bookingId, kind, item, tripId],
    );
    if (code === -4)
      throw new BookingMismatchError(describeBooking({ kind, item, tripId }), toBooking(bookingId, json));
    return CANCEL_OUTCOMES[code];
  }

  /**
   * Issues the trip's tickets against its held bookings, once per idempotency key: a repeated call returns the
   * tickets issued the first time.
   * @throws FlightGroundedError (permanent) for a {@link FAULT_TRIGGERS.groundedFlightPrefix} flight;
   * BookingNotHeldError (permanent) when a booking is not held; TicketsVoidedError when the key was voided before
   * any tickets were issued under it. Nothing is issued then.
   * @throws RangeError when the amount is not a positive integer
   */
  async issueTickets(request: TicketsRequest, idempotencyKey: string): Promise<TripTickets> {
    if (!Number.isSafeInteger(request.amountCents) || request.amountCents < 1) {
      throw new RangeError(`amountCents must be a positive integer, got ${request.amountCents}.`);
    }
    if (request.flight.flight.startsWith(FAULT_TRIGGERS.groundedFlightPrefix)) {
      throw new FlightGroundedError(request.flight.flight);
    }
    const reply = await this.scripts.run<IssueReply>(
      'issue-tickets-3.lua',
      [this.keys.bookings(), this.keys.tickets(), this.keys.tripTickets(request.tripId)],
      [
        idempotencyKey,
        request.tripId,
        request.flight.bookingId,
        request.hotelBookingId,
        request.paymentId,
        request.amountCents,
      ],
    );
    switch (reply[0]) {
      case -2:
        throw new BookingNotHeldError(reply[1], (reply[2] || undefined) as BookingStatus | undefined);
      case -3:
        throw new TicketsVoidedError(idempotencyKey);
      default:
        return toTickets(idempotencyKey, reply[1]);
    }
  }

  /**
   * Withdraws the tickets issued under `ticketId`, once. When none were issued under it, the key is voided so that
   * they can no longer be issued afterwards.
   */
  async voidTickets(tripId: string, ticketId: string): Promise<VoidOutcome> {
    const [code] = await this.scripts.run<VoidReply>('void-tickets-1.lua', [this.keys.tickets()], [ticketId, tripId]);
    return VOID_OUTCOMES[code];
  }

  /** The booking recorded under the key (voided ones too), or `undefined` when there is none. */
  async getBooking(bookingId: string): Promise<Booking | undefined> {
    const json = await guardRedis(() => this.redis.hget(this.keys.bookings(), bookingId));
    return json === null ? undefined : toBooking(bookingId, json);
  }

  /**
   * Every booking and every set of tickets of the trip, oldest first, with their statuses now; `undefined` when
   * nothing was ever booked for it.
   */
  async getTrip(tripId: string): Promise<TripRecord | undefined> {
    const [bookingIds, ticketIds] = (await execAll(
      this.redis
        .multi()
        .zrange(this.keys.tripBookings(tripId), '0', '-1')
        .zrange(this.keys.tripTickets(tripId), '0', '-1'),
    )) as [string[], string[]];
    if (bookingIds.length === 0 && ticketIds.length === 0) return undefined;
    const [bookings, tickets] = await Promise.all([
      this.records(this.keys.bookings(), bookingIds),
      this.records(this.keys.tickets(), ticketIds),
    ]);
    return {
      tripId,
      bookings: bookingIds.map((id, i) => toBooking(id, bookings[i])),
      tickets: ticketIds.map((id, i) => toTickets(id, tickets[i])),
    };
  }

  private async book(requested: Requested, idempotencyKey: string): Promise<Booking> {
    const reply = await this.scripts.run<BookReply>(
      'book-3.lua',
      [this.keys.availability(requested.kind), this.keys.bookings(), this.keys.tripBookings(requested.tripId)],
      [idempotencyKey, requested.kind, requested.item, requested.tripId, requested.nights ?? 0],
    );
    switch (reply[0]) {
      case -1:
        throw requested.kind === 'flight'
          ? new UnknownFlightError(requested.item)
          : new UnknownHotelError(requested.item);
      case -2:
        throw requested.kind === 'flight' ? new FlightFullError(requested.item) : new HotelFullError(requested.item);
      case -3:
        throw new BookingVoidedError(idempotencyKey);
      case -4:
        throw new BookingMismatchError(describeBooking(requested), toBooking(idempotencyKey, reply[1]));
      default:
        return toBooking(idempotencyKey, reply[1]);
    }
  }

  /** The JSON records of the ids, in their order; every id of a trip's index has one, written by the same script. */
  private async records(hash: string, ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    return (await guardRedis(() => this.redis.hmget(hash, ...ids))) as string[];
  }
}

function describeBooking({ kind, item, tripId, nights }: Requested): string {
  return `a ${kind} booking of "${item}"${nights === undefined ? '' : ` for ${nights} nights`} for trip "${tripId}"`;
}

function toBooking(bookingId: string, json: string): Booking {
  return { bookingId, ...(JSON.parse(json) as Omit<Booking, 'bookingId'>) };
}

function toTickets(ticketId: string, json: string): TripTickets {
  return { ticketId, ...(JSON.parse(json) as Omit<TripTickets, 'ticketId'>) };
}

function sortedIds(hash: Record<string, string>): string[] {
  return Object.keys(hash).sort();
}
