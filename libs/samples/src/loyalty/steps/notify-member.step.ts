import { Injectable, Logger } from '@nestjs/common';
import type { SagaData, SagaStep, StepContext } from '@sagaflow/core';
import { LoyaltyGateway } from '../gateways/loyalty.gateway';
import type { MemberNotification } from '../gateways/loyalty.types';
import type { LoyaltyInput } from '../input/loyalty.input';

/** What `notifyMember` receives: it runs first, so the input alone. @publicApi */
export type NotifyMemberData = SagaData<LoyaltyInput, object>;

/**
 * Tells the member how many points the order will earn once the return window has passed.
 *
 * It has no `compensate`: a message once sent cannot be unsent. That makes it the saga's pivot: once it has run,
 * the saga can only go forward, and cancelling it is refused (409, naming this step).
 * @publicApi
 */
@Injectable()
export class NotifyMemberStep implements SagaStep<NotifyMemberData, MemberNotification> {
  private readonly logger = new Logger(NotifyMemberStep.name);

  constructor(private readonly loyalty: LoyaltyGateway) {}

  async run({ input }: NotifyMemberData, ctx: StepContext): Promise<MemberNotification> {
    const notification = await this.loyalty.notify(
      input.memberId,
      input.orderId,
      `Thank you for order ${input.orderId}: ${input.points} points will be credited once its return window has passed.`,
      ctx.idempotencyKey,
    );
    this.logger.log({
      message: 'Member notified',
      sagaId: ctx.sagaId,
      memberId: input.memberId,
      orderId: input.orderId,
      notificationId: notification.notificationId,
    });
    return notification;
  }
}
