export * from './safe-id';
export * from './transfer.input';
// differs-from stays out: a validation helper of this input, not part of the sample's API.
