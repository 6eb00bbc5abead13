export * from './trip.input';
export { TRIP_ID_PATTERN } from './safe-id';
// SAFE_ID_PATTERN stays out: a validation detail of the input, not part of the sample's API.
