import { Inject, Logger, Module, type OnModuleDestroy, type OnModuleInit, type Provider } from '@nestjs/common';
import { SAGA_PREFIX, SAGA_REDIS, onEveryRedisReady } from '@sagaflow/nestjs';
import type { Redis } from 'ioredis';
import { BankGateway } from './gateways/bank.gateway';
import { CreditDestinationStep } from './steps/credit-destination.step';
import { DebitSourceStep } from './steps/debit-source.step';

// The gateway is a plain class, built here: its spec then runs without Nest, whose ESM-only packages Jest
// cannot load.
const BANK: Provider = {
  provide: BankGateway,
  useFactory: (redis: Redis, prefix: string) => new BankGateway(redis, prefix),
  inject: [SAGA_REDIS, SAGA_PREFIX],
};
const STEPS = [DebitSourceStep, CreditDestinationStep];

/**
 * Provides the transfer steps and the demo bank, and opens the demo accounts at start-up and after every
 * reconnection to Redis. It does not register the saga: the application does that with the engine's module,
 * which also provides the `SAGA_REDIS` and `SAGA_PREFIX` tokens the gateway needs (globally).
 * @publicApi
 */
@Module({
  providers: [BANK, ...STEPS],
  exports: [BankGateway, ...STEPS],
})
export class TransferSagaModule implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(TransferSagaModule.name);
  private stopSeeding?: () => void;

  constructor(
    private readonly bank: BankGateway,
    @Inject(SAGA_REDIS) private readonly redis: Redis,
  ) {}

  /** Demo data must not take the application down: a failed seed is logged, and retried on the next reconnection. */
  onModuleInit(): void {
    this.stopSeeding = onEveryRedisReady(
      this.redis,
      () => this.bank.seed(),
      (error) => this.logger.error({ message: 'Opening the demo accounts failed', error: String(error) }),
    );
  }

  onModuleDestroy(): void {
    this.stopSeeding?.();
  }
}
