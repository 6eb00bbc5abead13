import type { PostedOperation, TransferInput } from '../../transfer';
import type { TripInput } from '../input/trip.input';
import { TRAVEL_AGENCY_ACCOUNT } from './agency-account';

/**
 * The output of the `pay` step: the outputs of the transfer saga it runs as a child, by the transfer's step names.
 * @publicApi
 */
export interface TripPayment {
  readonly debitSource: PostedOperation;
  readonly creditDestination: PostedOperation;
}

/**
 * The input of the transfer that pays for a trip: the price, from the traveller's account to the agency's. Its
 * transfer id is derived from the trip's, so that the bank's ledger reads as the agency's books.
 * @publicApi
 */
export function tripTransfer(input: TripInput): TransferInput {
  return {
    transferId: `trip-${input.tripId}`,
    fromAccount: input.travellerAccount,
    toAccount: TRAVEL_AGENCY_ACCOUNT,
    amountCents: input.priceCents,
    reference: input.paymentReference ?? `Trip ${input.tripId}`,
  };
}
