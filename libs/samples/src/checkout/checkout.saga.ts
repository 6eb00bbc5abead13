import { defineSaga, durationSetting } from '@sagaflow/core';
import { ORDER_PLACED, checkoutInputFromOrderPlaced } from './events/order-placed.event';
import { SHIPMENT_DELIVERED } from './events/shipment-delivered.event';
import { CheckoutInput } from './input/checkout.input';
import { ChargePaymentStep } from './steps/charge-payment.step';
import { ReserveInventoryStep } from './steps/reserve-inventory.step';
import { ShipOrderStep } from './steps/ship-order.step';

/**
 * How long a shipped order waits for its `shipment.delivered` event before the checkout gives up on it, from the
 * environment variable `CHECKOUT_DELIVERY_TIMEOUT` (such as `'3d'`, or `'5s'` to watch a timeout in the demo).
 * Read once, when this module loads: an invalid value stops the process at start-up.
 * @defaultValue '3d'
 */
const DELIVERY_TIMEOUT = durationSetting('CHECKOUT_DELIVERY_TIMEOUT', '3d', process.env);

/**
 * Reserve the stock, charge the card, ship the parcel, then wait for the carrier to report it delivered. On a
 * permanent failure, undo the steps done so far, newest first (cancel the shipment, refund, release).
 *
 * Started by `POST /sagas/checkout`, or by an `order.placed` event whose payload is the input (plus an optional
 * `memberId`, dropped). A parcel not delivered within {@link DELIVERY_TIMEOUT} fails `awaitDelivery`: the
 * shipment is cancelled, which puts its stock back, and the charge is refunded. A parcel marked delivered whose
 * event came too late cannot be cancelled any more: that compensation fails for good and the saga parks as
 * `compensation_failed`, for someone to arrange a return.
 *
 * Version 2 added the trigger and `awaitDelivery`. Timeouts and backoffs are short so that the demo, and the
 * tests, show retries and compensation within seconds.
 * @publicApi
 */
export const checkoutSaga = defineSaga('checkout', {
  version: 2,
  input: CheckoutInput,
  startOn: [{ event: ORDER_PLACED, input: checkoutInputFromOrderPlaced }],
})
  .step('reserveInventory', ReserveInventoryStep, { timeout: '5s', retry: { attempts: 3, backoff: '200ms' } })
  // Only the workers that serve the `payments` pool (those given the card processor's credentials) charge cards.
  .step('chargePayment', ChargePaymentStep, {
    pool: 'payments',
    timeout: '2s',
    retry: { attempts: 3, backoff: { type: 'exponential', delay: '100ms' } },
    compensation: { retry: { attempts: 3, backoff: '100ms' } },
  })
  .step('shipOrder', ShipOrderStep, { timeout: '5s', retry: { attempts: 3, backoff: '200ms' } })
  .waitFor('awaitDelivery', {
    event: SHIPMENT_DELIVERED,
    key: ({ input }) => input.orderId,
    timeout: DELIVERY_TIMEOUT,
  })
  .build();
