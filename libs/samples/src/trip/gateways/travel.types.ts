/** What a booking holds: a seat on a flight, or a room in a hotel. @publicApi */
export type BookingKind = 'flight' | 'hotel';

/**
 * `held`: the seat or room is the traveller's. `cancelled`: it was given back. `voided`: it was cancelled before
 * any booking under its key applied, so none ever will.
 * @publicApi
 */
export type BookingStatus = 'held' | 'cancelled' | 'voided';

/**
 * One booking as the agency records it, under its idempotency key.
 * @publicApi
 */
export interface Booking {
  /** The idempotency key it was booked under; its cancellation names it. */
  readonly bookingId: string;
  readonly kind: BookingKind;
  /** The flight code or the hotel id. */
  readonly item: string;
  readonly tripId: string;
  /** For a hotel: the nights the room is held for (one room, whatever the nights). */
  readonly nights?: number;
  readonly status: BookingStatus;
  /** When it was booked, in milliseconds since the epoch, by Redis' clock; absent on a voided key. */
  readonly bookedAt?: number;
  /** When it was cancelled or voided, by Redis' clock. */
  readonly cancelledAt?: number;
}

/**
 * A seat booked on a flight. Plain data: it is the output of the `bookFlight` step.
 * @publicApi
 */
export interface FlightBooking {
  readonly bookingId: string;
  readonly flight: string;
}

/**
 * A room booked in a hotel. Plain data: it is the output of the `bookHotel` step.
 * @publicApi
 */
export interface HotelBooking {
  readonly bookingId: string;
  readonly hotel: string;
  readonly nights: number;
}

/** What {@link TravelGateway.cancelBooking} did. @publicApi */
export type CancelOutcome =
  /** The seat or room was given back now. */
  | 'cancelled'
  /** Cancelled, or voided, before: nothing changed. */
  | 'already-cancelled'
  /** Nothing was booked under the key; it is voided, so a late booking under it cannot apply. */
  | 'voided';

/** `issued`: the traveller can travel. `voided`: withdrawn, or voided before they were ever issued. @publicApi */
export type TicketsStatus = 'issued' | 'voided';

/**
 * The tickets of a trip: both bookings confirmed against the payment. Plain data: it is the output of the
 * `issueTickets` step.
 * @publicApi
 */
export interface TripTickets {
  /** The idempotency key they were issued under; voiding names it. */
  readonly ticketId: string;
  readonly tripId: string;
  readonly flightBookingId: string;
  readonly hotelBookingId: string;
  /** The bank's id of the payment's credit to the agency. */
  readonly paymentId: string;
  readonly amountCents: number;
  readonly status: TicketsStatus;
  /** When they were issued, in milliseconds since the epoch, by Redis' clock; absent on a voided key. */
  readonly issuedAt?: number;
}

/** What {@link TravelGateway.voidTickets} did. @publicApi */
export type VoidOutcome =
  /** The tickets were withdrawn now. */
  | 'voided'
  /** Voided before: nothing changed. */
  | 'already-voided'
  /** Nothing was issued under the key; it is voided, so late tickets under it cannot be issued. */
  | 'never-issued';

/** Seats left on a flight. @publicApi */
export interface FlightAvailability {
  readonly flight: string;
  readonly seatsLeft: number;
}

/** Rooms left in a hotel. @publicApi */
export interface HotelAvailability {
  readonly hotel: string;
  readonly roomsLeft: number;
}

/**
 * What the agency sells, and what is left, read at one instant.
 * @publicApi
 */
export interface TravelCatalogue {
  /** Sorted by flight code. */
  readonly flights: FlightAvailability[];
  /** Sorted by hotel id. */
  readonly hotels: HotelAvailability[];
}

/**
 * Everything the agency recorded for one trip.
 * @publicApi
 */
export interface TripRecord {
  readonly tripId: string;
  /** Oldest first; voided keys are not listed. */
  readonly bookings: Booking[];
  /** Oldest first; voided keys are not listed. */
  readonly tickets: TripTickets[];
}
