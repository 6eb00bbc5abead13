import type { BookingKind } from './travel.types';

/**
 * Where the demo agency keeps its state, beside the engine's keys. Every key carries the hash tag `{travel}`: each
 * script moves a seat or room and writes the booking in one step, and must stay valid on Redis Cluster.
 */
export class TravelKeys {
  private readonly base: string;

  constructor(prefix: string) {
    this.base = `${prefix}:demo:{travel}`;
  }

  /** Hash: flight code → seats left, or hotel id → rooms left. */
  availability(kind: BookingKind): string {
    return `${this.base}:${kind === 'flight' ? 'flights' : 'hotels'}`;
  }

  /** Hash: idempotency key → booking (JSON, without the key). */
  bookings(): string {
    return `${this.base}:bookings`;
  }

  /** Hash: idempotency key → tickets (JSON, without the key). */
  tickets(): string {
    return `${this.base}:tickets`;
  }

  /** Sorted set: the idempotency keys of a trip's bookings, scored by when they were made. */
  tripBookings(tripId: string): string {
    return `${this.base}:trip:${tripId}:bookings`;
  }

  /** Sorted set: the idempotency keys of a trip's tickets, scored by when they were issued. */
  tripTickets(tripId: string): string {
    return `${this.base}:trip:${tripId}:tickets`;
  }
}
