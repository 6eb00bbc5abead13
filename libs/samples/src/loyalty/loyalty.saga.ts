import { defineSaga, durationSetting } from '@sagaflow/core';
import { ORDER_PLACED, loyaltyInputFromOrderPlaced } from './events/order-placed.event';
import { LoyaltyInput } from './input/loyalty.input';
import { AwardPointsStep } from './steps/award-points.step';
import { NotifyMemberStep } from './steps/notify-member.step';

/**
 * How long the saga sleeps between telling the member and crediting the points: an order may be returned until
 * then. From the environment variable `LOYALTY_RETURN_WINDOW` (such as `'14d'`, or `'5s'` in the demo and tests).
 * Read once, when this module loads: an invalid value stops the process at start-up.
 * @defaultValue '14d'
 */
const RETURN_WINDOW = durationSetting('LOYALTY_RETURN_WINDOW', '14d', process.env);

/**
 * Loyalty points for an order placed by a member: tell the member what the order will earn, sleep through the
 * return window, then credit the points.
 *
 * Started by an `order.placed` event that carries a `memberId` (an order without one is not for this saga). An
 * invalid member id is refused like any invalid input: the event's publisher finds it under `rejected`, and the
 * order's checkout starts all the same.
 *
 * `notifyMember` has no compensation, so it is the pivot: cancelling the saga is refused once the member has been
 * told, and a failure after it only undoes what comes after it. Backoffs are short so that the demo, and the
 * tests, show retries within seconds.
 * @publicApi
 */
export const loyaltySaga = defineSaga('loyalty', {
  version: 1,
  input: LoyaltyInput,
  startOn: [{ event: ORDER_PLACED, input: loyaltyInputFromOrderPlaced }],
})
  .step('notifyMember', NotifyMemberStep, { timeout: '5s', retry: { attempts: 3, backoff: '200ms' } })
  .sleep('returnWindow', RETURN_WINDOW)
  .step('awardPoints', AwardPointsStep, {
    timeout: '5s',
    retry: { attempts: 3, backoff: '200ms' },
    compensation: { retry: { attempts: 5, backoff: '200ms' } },
    compensateOnFailure: true,
  })
  .build();
