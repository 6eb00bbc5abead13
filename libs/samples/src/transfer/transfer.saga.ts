import { defineSaga } from '@sagaflow/core';
import { TransferInput } from './input/transfer.input';
import { CreditDestinationStep } from './steps/credit-destination.step';
import { DebitSourceStep } from './steps/debit-source.step';

/**
 * Debit the source account, then credit the destination; when the credit fails for good, give the debit back.
 * With these figures a `flaky-…` source is given back on the third attempt of the compensation, and a
 * `frozen-…` one exhausts all four and parks the saga as `compensation_failed`. Backoffs are short so that the
 * demo, and the tests, show retries and compensation within seconds. Both steps are compensated after their
 * own failure too: an attempt that timed out may still have moved the money.
 * @publicApi
 */
export const transferSaga = defineSaga('transfer', { version: 1, input: TransferInput })
  .step('debitSource', DebitSourceStep, {
    timeout: '5s',
    retry: { attempts: 3, backoff: '100ms' },
    compensation: { retry: { attempts: 4, backoff: '100ms' } },
    compensateOnFailure: true,
  })
  .step('creditDestination', CreditDestinationStep, {
    timeout: '5s',
    retry: { attempts: 3, backoff: '100ms' },
    compensation: { retry: { attempts: 4, backoff: '100ms' } },
    compensateOnFailure: true,
  })
  .build();
