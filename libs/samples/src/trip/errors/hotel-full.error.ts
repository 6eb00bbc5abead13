import { PermanentError } from '@sagaflow/core';
import { TripErrorCode } from './trip-error-codes';

/**
 * Thrown by `TravelGateway.bookHotel` when the hotel has no room left (the demo fills every hotel named `full-…`);
 * nothing was booked, and retrying does not free a room.
 * @publicApi
 */
export class HotelFullError extends PermanentError {
  override readonly code = TripErrorCode.HotelFull;

  constructor(readonly hotel: string) {
    super(`Hotel "${hotel}" has no room left; nothing was booked. Pick another hotel.`);
  }
}
