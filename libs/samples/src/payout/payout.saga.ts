import { defineSaga } from '@sagaflow/core';
import { PayoutInput } from './payout.input';
import { SendPayoutStep } from './send-payout.step';

/**
 * Pays a merchant out. The rail must never see two payouts of one merchant at once, so the saga's concurrency key
 * is the merchant: the payouts of one merchant run one at a time, in the order they were started (the others
 * `queued`), across every worker process and through a worker's crash, while other merchants' run beside them.
 * @publicApi
 */
export const payoutSaga = defineSaga('payout', {
  version: 1,
  input: PayoutInput,
  concurrency: { key: (input) => input.merchantId, limit: 1 },
})
  .step('sendPayout', SendPayoutStep, { timeout: '5s', retry: { attempts: 3, backoff: '100ms' } })
  .build();
