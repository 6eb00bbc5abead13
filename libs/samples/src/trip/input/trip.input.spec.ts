import { validateObject } from '@sagaflow/core';
import { TRAVEL_AGENCY_ACCOUNT } from '../payment/agency-account';
import { TripInput } from './trip.input';

const valid = {
  tripId: 'trip-1',
  travellerAccount: 'acct-alice',
  flight: 'SF-101',
  hotel: 'hotel-harbour',
  nights: 3,
  priceCents: 84_000,
};

/** The fields at fault with their messages, as the engine reports them. */
async function faults(plain: object): Promise<Record<string, readonly string[]>> {
  const checked = await validateObject(TripInput, plain);
  return checked.valid ? {} : Object.fromEntries(checked.errors.map((error) => [error.field, error.messages]));
}

describe('TripInput', () => {
  it('accepts a well-formed trip', async () => {
    expect(await faults(valid)).toEqual({});
  });

  it('accepts a payment reference, and the longest trip id whose transfer id still fits', async () => {
    expect(await faults({ ...valid, paymentReference: 'slow', tripId: 't'.repeat(59) })).toEqual({});
  });

  it('accepts the fault triggers of the demo agency', async () => {
    expect(await faults({ ...valid, flight: 'slow-1', hotel: 'full-1' })).toEqual({});
  });

  describe("when the traveller's account is the agency's", () => {
    it('rejects it on travellerAccount, since the transfer would go from an account to itself', async () => {
      expect(await faults({ ...valid, travellerAccount: TRAVEL_AGENCY_ACCOUNT })).toEqual({
        travellerAccount: ["travellerAccount must not be the agency's own account"],
      });
    });
  });

  it('rejects a trip id of 60 characters, saying how long one may be', async () => {
    expect(await faults({ ...valid, tripId: 't'.repeat(60) })).toEqual({
      tripId: ['tripId must be 1 to 59 letters, digits, "_" or "-"'],
    });
  });

  it.each([
    ['a trip id with a colon', { tripId: 'trip:1' }, ['tripId']],
    ['an empty traveller account', { travellerAccount: '' }, ['travellerAccount']],
    ['a flight with a space', { flight: 'SF 101' }, ['flight']],
    ['a missing hotel', { hotel: undefined }, ['hotel']],
    ['no nights', { nights: 0 }, ['nights']],
    ['31 nights', { nights: 31 }, ['nights']],
    ['half a night', { nights: 1.5 }, ['nights']],
    ['a zero price', { priceCents: 0 }, ['priceCents']],
    ['a price above 1e9 cents', { priceCents: 1_000_000_001 }, ['priceCents']],
    ['a price given as a string', { priceCents: '84000' }, ['priceCents']],
    ['a payment reference of 141 characters', { paymentReference: 'r'.repeat(141) }, ['paymentReference']],
    ['a field of its own', { seat: '12A' }, ['seat']],
  ])('rejects %s', async (_case, override, fields) => {
    expect(Object.keys(await faults({ ...valid, ...override }))).toEqual(fields);
  });
});
