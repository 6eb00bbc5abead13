/**
 * The demo bank account the agency is paid into. The bank's seed does not open it: `TripSagaModule` opens it (empty)
 * at start-up and after every reconnection to Redis, through the bank's own API.
 * @publicApi
 */
export const TRAVEL_AGENCY_ACCOUNT = 'acct-travel-agency';
