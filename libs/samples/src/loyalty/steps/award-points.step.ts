import { Injectable, Logger } from '@nestjs/common';
import type { SagaData, SagaStep, StepContext } from '@sagaflow/core';
import { LoyaltyGateway } from '../gateways/loyalty.gateway';
import type { PointsAward } from '../gateways/loyalty.types';
import type { LoyaltyInput } from '../input/loyalty.input';

/**
 * What `awardPoints` receives: it needs the return window's (empty) output, so it cannot be placed before the
 * window. @publicApi
 */
export type AwardPointsData = SagaData<LoyaltyInput, { returnWindow: null }>;

/**
 * Credits the order's points to the member; undone by taking them back.
 * @publicApi
 */
@Injectable()
export class AwardPointsStep implements SagaStep<AwardPointsData, PointsAward> {
  private readonly logger = new Logger(AwardPointsStep.name);

  constructor(private readonly loyalty: LoyaltyGateway) {}

  /** @throws AwardVoidedError (permanent) for a late attempt of an award already compensated */
  async run({ input }: AwardPointsData, ctx: StepContext): Promise<PointsAward> {
    const award = await this.loyalty.award(input.memberId, input.orderId, input.points, ctx.idempotencyKey);
    this.logger.log({
      message: 'Points awarded',
      sagaId: ctx.sagaId,
      memberId: award.memberId,
      orderId: award.orderId,
      points: award.points,
    });
    return award;
  }

  /**
   * Takes the points back. Runs after a failed award too (`compensateOnFailure`): an attempt that timed out may
   * have credited, so the award is looked up by the run's idempotency key, and nothing moves if it never applied.
   */
  async compensate({ input }: AwardPointsData, _award: PointsAward | undefined, ctx: StepContext): Promise<void> {
    const outcome = await this.loyalty.revoke(ctx.runIdempotencyKey);
    this.logger.log({
      message:
        outcome === 'revoked'
          ? 'Points taken back'
          : outcome === 'voided'
            ? 'No points were awarded; nothing to take back'
            : 'Points already taken back',
      sagaId: ctx.sagaId,
      memberId: input.memberId,
      orderId: input.orderId,
      points: input.points,
    });
  }
}
