import { PermanentError } from '@sagaflow/core';
import { TripErrorCode } from './trip-error-codes';

/**
 * Thrown by `TravelGateway.issueTickets` when the tickets' key was voided before any tickets under it were issued
 * (a compensation overtook a late attempt); nothing was issued.
 * @publicApi
 */
export class TicketsVoidedError extends PermanentError {
  override readonly code = TripErrorCode.TicketsVoided;

  constructor(readonly ticketId: string) {
    super(`Tickets "${ticketId}" were voided before they were issued, so they never will be; nothing was issued.`);
  }
}
