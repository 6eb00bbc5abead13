export * from './member-id';
export * from './loyalty.input';
// safe-id stays out: a validation detail of the input, not part of the sample's API.
