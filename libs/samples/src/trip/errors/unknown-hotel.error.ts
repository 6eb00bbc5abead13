import { PermanentError } from '@sagaflow/core';
import { TripErrorCode } from './trip-error-codes';

/** Thrown by `TravelGateway.bookHotel` when the agency sells no such hotel; nothing was booked. @publicApi */
export class UnknownHotelError extends PermanentError {
  override readonly code = TripErrorCode.UnknownHotel;

  constructor(readonly hotel: string) {
    super(`The agency sells no hotel "${hotel}"; nothing was booked. GET /demo/travel lists them.`);
  }
}
