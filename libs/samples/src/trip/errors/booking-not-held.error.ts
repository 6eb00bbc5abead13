import { PermanentError } from '@sagaflow/core';
import type { BookingStatus } from '../gateways/travel.types';
import { TripErrorCode } from './trip-error-codes';

/**
 * Thrown by `TravelGateway.issueTickets` when a booking the tickets are for is not held (never made, cancelled or
 * voided); nothing was issued.
 * @publicApi
 */
export class BookingNotHeldError extends PermanentError {
  override readonly code = TripErrorCode.BookingNotHeld;

  constructor(
    readonly bookingId: string,
    /** `undefined` when nothing was ever booked under the id. */
    readonly status: BookingStatus | undefined,
  ) {
    super(`Booking "${bookingId}" is ${status ?? 'unknown'}, not held; no ticket was issued.`);
  }
}
