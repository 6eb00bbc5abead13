import { PermanentError } from '@sagaflow/core';
import type { Booking } from '../gateways/travel.types';
import { TripErrorCode } from './trip-error-codes';

/**
 * Thrown when an idempotency key already records another booking than the one asked for (another kind, item or
 * trip). Nothing was changed: a key stands for one booking only.
 * @publicApi
 */
export class BookingMismatchError extends PermanentError {
  override readonly code = TripErrorCode.BookingMismatch;

  constructor(
    /** What was asked for, in words. */
    readonly requested: string,
    readonly recorded: Booking,
  ) {
    super(
      `Idempotency key "${recorded.bookingId}" records a ${recorded.kind} booking of "${recorded.item}" for trip ` +
        `"${recorded.tripId}", not ${requested}; nothing was changed. Use a key of its own per booking.`,
    );
  }
}
