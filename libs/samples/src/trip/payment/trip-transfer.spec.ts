import type { TripInput } from '../input/trip.input';
import { TRAVEL_AGENCY_ACCOUNT } from './agency-account';
import { tripTransfer } from './trip-transfer';

const trip: TripInput = {
  tripId: 'trip-1',
  travellerAccount: 'acct-alice',
  flight: 'SF-101',
  hotel: 'hotel-harbour',
  nights: 3,
  priceCents: 84_000,
};

describe('tripTransfer', () => {
  it("moves the trip's price from the traveller to the agency, under a transfer id derived from the trip's", () => {
    expect(tripTransfer(trip)).toEqual({
      transferId: 'trip-trip-1',
      fromAccount: 'acct-alice',
      toAccount: TRAVEL_AGENCY_ACCOUNT,
      amountCents: 84_000,
      reference: 'Trip trip-1',
    });
  });

  it("passes the trip's payment reference on, so that the bank's fault references apply", () => {
    expect(tripTransfer({ ...trip, paymentReference: 'slow' })).toMatchObject({ reference: 'slow' });
  });

  it('keeps the transfer id within the 64 characters a transfer id may have', () => {
    expect(tripTransfer({ ...trip, tripId: 't'.repeat(59) }).transferId).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });
});
