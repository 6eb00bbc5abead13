// The sample sagas (checkout, expense, loyalty, payout, transfer, trip) and their demo read-outs, as the stock apps run them.
// Each sample's own API is its folder's index (`./checkout`, …), which the suites import directly.
export * from './samples.module';
export * from './samples-demo.module';
