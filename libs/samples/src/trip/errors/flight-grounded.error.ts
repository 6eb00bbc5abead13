import { PermanentError } from '@sagaflow/core';
import { TripErrorCode } from './trip-error-codes';

/**
 * Thrown by `TravelGateway.issueTickets` when the airline has grounded the flight since it was booked (the demo
 * grounds every flight named `grounded-…`); nothing was issued, and retrying cannot help.
 * @publicApi
 */
export class FlightGroundedError extends PermanentError {
  override readonly code = TripErrorCode.FlightGrounded;

  constructor(readonly flight: string) {
    super(`Flight "${flight}" is grounded; no ticket was issued. Book the trip again on another flight.`);
  }
}
