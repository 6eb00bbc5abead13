import { Module, type Provider } from '@nestjs/common';
import { SAGA_PREFIX, SAGA_REDIS } from '@sagaflow/nestjs';
import type { Redis } from 'ioredis';
import { LoyaltyGateway } from './gateways/loyalty.gateway';
import { AwardPointsStep } from './steps/award-points.step';
import { NotifyMemberStep } from './steps/notify-member.step';

// The gateway is a plain class, built here: its spec then runs without Nest, whose ESM-only packages Jest cannot
// load.
const LOYALTY: Provider = {
  provide: LoyaltyGateway,
  useFactory: (redis: Redis, prefix: string) => new LoyaltyGateway(redis, prefix),
  inject: [SAGA_REDIS, SAGA_PREFIX],
};
const STEPS = [NotifyMemberStep, AwardPointsStep];

/**
 * Provides the loyalty steps and the demo loyalty programme. It does not register the saga: the application does
 * that with the engine's module, which also provides the `SAGA_REDIS` and `SAGA_PREFIX` tokens the gateway needs
 * (globally). Nothing to seed: a member is known from their first message.
 * @publicApi
 */
@Module({
  providers: [LOYALTY, ...STEPS],
  exports: [LoyaltyGateway, ...STEPS],
})
export class LoyaltySagaModule {}
