import { defineSaga } from '@sagaflow/core';
import { CheckoutInput } from './input/checkout.input';
import { ChargePaymentStep } from './steps/charge-payment.step';
import { ReserveInventoryStep } from './steps/reserve-inventory.step';
import { ShipOrderStep } from './steps/ship-order.step';

/**
 * Reserve the stock, charge the card, ship the parcel; on a permanent failure, undo the steps done so far,
 * newest first (cancel the shipment, refund, release). Timeouts and backoffs are short so that the demo, and
 * the tests, show retries and compensation within seconds.
 * @publicApi
 */
export const checkoutSaga = defineSaga('checkout', { version: 1, input: CheckoutInput })
  .step('reserveInventory', ReserveInventoryStep, { timeout: '5s', retry: { attempts: 3, backoff: '200ms' } })
  .step('chargePayment', ChargePaymentStep, {
    timeout: '2s',
    retry: { attempts: 3, backoff: { type: 'exponential', delay: '100ms' } },
    compensation: { retry: { attempts: 3, backoff: '100ms' } },
  })
  .step('shipOrder', ShipOrderStep, { timeout: '5s', retry: { attempts: 3, backoff: '200ms' } })
  .build();
