import { PermanentError } from '@sagaflow/core';
import { TripErrorCode } from './trip-error-codes';

/** Thrown by `TravelGateway.bookFlight` when the agency sells no such flight; nothing was booked. @publicApi */
export class UnknownFlightError extends PermanentError {
  override readonly code = TripErrorCode.UnknownFlight;

  constructor(readonly flight: string) {
    super(`The agency sells no flight "${flight}"; nothing was booked. GET /demo/travel lists them.`);
  }
}
