import { PermanentError } from '@sagaflow/core';
import { TripErrorCode } from './trip-error-codes';

/**
 * Thrown by `TravelGateway.bookFlight` when the flight has no seat left; nothing was booked, and retrying does not
 * free a seat.
 * @publicApi
 */
export class FlightFullError extends PermanentError {
  override readonly code = TripErrorCode.FlightFull;

  constructor(readonly flight: string) {
    super(`Flight "${flight}" has no seat left; nothing was booked. Pick another flight.`);
  }
}
