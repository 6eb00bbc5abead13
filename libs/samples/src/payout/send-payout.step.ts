import { Injectable } from '@nestjs/common';
import type { SagaData, SagaStep, StepContext } from '@sagaflow/core';
import type { PayoutInput } from './payout.input';
import { PayoutRail } from './payout-rail';

/** What `sendPayout` receives: the input alone. @publicApi */
export type SendPayoutData = SagaData<PayoutInput, object>;

/**
 * Sends the payout on the rail. A payout that has left cannot be called back: the step has no compensation.
 * @publicApi
 */
@Injectable()
export class SendPayoutStep implements SagaStep<SendPayoutData, { sent: boolean }> {
  constructor(private readonly rail: PayoutRail) {}

  async run({ input }: SendPayoutData, ctx: StepContext): Promise<{ sent: boolean }> {
    return { sent: await this.rail.send(input.merchantId, input.payoutId, input.amountCents, ctx.idempotencyKey) };
  }
}
