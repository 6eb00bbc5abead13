import { Inject, Logger, Module, type OnModuleDestroy, type OnModuleInit, type Provider } from '@nestjs/common';
import { SAGA_PREFIX, SAGA_REDIS } from '@sagaflow/nest';
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
  private readonly seedOnReady = (): void => void this.seed();

  constructor(
    private readonly bank: BankGateway,
    @Inject(SAGA_REDIS) private readonly redis: Redis,
  ) {}

  // The API's connection fails commands while it is not connected instead of queueing them, so seeding waits
  // for 'ready'; it runs again on every reconnection, since a Redis without persistence comes back empty.
  async onModuleInit(): Promise<void> {
    this.redis.on('ready', this.seedOnReady);
    if (this.redis.status === 'ready') await this.seed();
  }

  onModuleDestroy(): void {
    this.redis.off('ready', this.seedOnReady);
  }

  /** Demo data must not take the application down: a failed seed is logged, and retried on the next 'ready'. */
  private async seed(): Promise<void> {
    try {
      await this.bank.seed();
    } catch (error) {
      this.logger.error({ message: 'Opening the demo accounts failed', error: String(error) });
    }
  }
}
