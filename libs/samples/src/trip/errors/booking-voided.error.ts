import { PermanentError } from '@sagaflow/core';
import { TripErrorCode } from './trip-error-codes';

/**
 * Thrown by `TravelGateway.bookFlight` and `bookHotel` when the booking's key was cancelled before any booking
 * under it applied (a compensation overtook a late attempt): it will never apply, so the cancellation's no-op
 * stays right. Nothing was booked.
 * @publicApi
 */
export class BookingVoidedError extends PermanentError {
  override readonly code = TripErrorCode.BookingVoided;

  constructor(readonly bookingId: string) {
    super(`Booking "${bookingId}" was cancelled before it applied, so it never will; nothing was booked.`);
  }
}
