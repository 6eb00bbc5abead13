import { Module, type Provider } from '@nestjs/common';
import { SAGA_PREFIX, SAGA_REDIS } from '@sagaflow/nestjs';
import type { Redis } from 'ioredis';
import { PayoutRail } from './payout-rail';
import { SendPayoutStep } from './send-payout.step';

const RAIL: Provider = {
  provide: PayoutRail,
  useFactory: (redis: Redis, prefix: string) => new PayoutRail(redis, prefix),
  inject: [SAGA_REDIS, SAGA_PREFIX],
};

/** Provides the payout step and the demo rail; the application registers the saga with the engine's module. @publicApi */
@Module({ providers: [RAIL, SendPayoutStep], exports: [PayoutRail, SendPayoutStep] })
export class PayoutSagaModule {}
