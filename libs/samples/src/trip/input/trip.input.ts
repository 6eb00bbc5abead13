import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, NotEquals } from 'class-validator';
import { TRAVEL_AGENCY_ACCOUNT } from '../payment/agency-account';
import { SAFE_ID_PATTERN, TRIP_ID_PATTERN } from './safe-id';

const SAFE_ID_MESSAGE = 'must be 1 to 64 letters, digits, "_" or "-"';

/**
 * Input of the trip saga, validated by the engine before anything is written.
 * @publicApi
 */
export class TripInput {
  /** Also names the payment: the transfer `trip-<tripId>`. */
  @Matches(TRIP_ID_PATTERN, { message: 'tripId must be 1 to 59 letters, digits, "_" or "-"' })
  readonly tripId!: string;

  /** The demo bank account the price is taken from (see the transfer sample's demo accounts and fault triggers). */
  @Matches(SAFE_ID_PATTERN, { message: `travellerAccount ${SAFE_ID_MESSAGE}` })
  @NotEquals(TRAVEL_AGENCY_ACCOUNT, { message: `travellerAccount must not be the agency's own account` })
  readonly travellerAccount!: string;

  /** A flight code such as `SF-101`; see `FAULT_TRIGGERS` for the flights that make the demo agency misbehave. */
  @Matches(SAFE_ID_PATTERN, { message: `flight ${SAFE_ID_MESSAGE}` })
  readonly flight!: string;

  /** A hotel id such as `hotel-harbour`; see `FAULT_TRIGGERS` for the hotels that make the demo agency misbehave. */
  @Matches(SAFE_ID_PATTERN, { message: `hotel ${SAFE_ID_MESSAGE}` })
  readonly hotel!: string;

  /** One room is held for the whole stay. */
  @IsInt()
  @Min(1)
  @Max(30)
  readonly nights!: number;

  /** The price of the whole trip; the cap is the transfer's. */
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  readonly priceCents!: number;

  /**
   * What the traveller's statement shows for the payment; `Trip <tripId>` when absent. The bank's references pass
   * through: `'slow'` makes the payment's credit take 1.5 s, `'poison'` makes it fail until its attempts run out.
   */
  @IsOptional()
  @IsString()
  @MaxLength(140)
  readonly paymentReference?: string;
}
