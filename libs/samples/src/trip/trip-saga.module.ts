import { Inject, Logger, Module, type OnModuleDestroy, type OnModuleInit, type Provider } from '@nestjs/common';
import { SAGA_PREFIX, SAGA_REDIS, onEveryRedisReady } from '@sagaflow/nestjs';
import { BankGateway, TransferSagaModule } from '../transfer';
import type { Redis } from 'ioredis';
import { TravelGateway } from './gateways/travel.gateway';
import { TRAVEL_AGENCY_ACCOUNT } from './payment/agency-account';
import { BookFlightStep } from './steps/book-flight.step';
import { BookHotelStep } from './steps/book-hotel.step';
import { IssueTicketsStep } from './steps/issue-tickets.step';

// The gateway is a plain class, built here: its spec then runs without Nest, whose ESM-only packages Jest cannot
// load.
const TRAVEL: Provider = {
  provide: TravelGateway,
  useFactory: (redis: Redis, prefix: string) => new TravelGateway(redis, prefix),
  inject: [SAGA_REDIS, SAGA_PREFIX],
};
const STEPS = [BookFlightStep, BookHotelStep, IssueTicketsStep];

/**
 * Provides the trip steps and the demo travel agency, and at start-up and after every reconnection to Redis puts
 * the demo flights and hotels on sale and opens the agency's bank account. It imports `TransferSagaModule` for the
 * bank, whose transfer saga pays for a trip. It does not register the sagas: the application does that with the
 * engine's module (both `tripSaga` and `transferSaga`), which also provides the `SAGA_REDIS` and `SAGA_PREFIX`
 * tokens the gateway needs (globally).
 * @publicApi
 */
@Module({
  imports: [TransferSagaModule],
  providers: [TRAVEL, ...STEPS],
  exports: [TravelGateway, ...STEPS],
})
export class TripSagaModule implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(TripSagaModule.name);
  private stopSeeding?: () => void;

  constructor(
    private readonly travel: TravelGateway,
    private readonly bank: BankGateway,
    @Inject(SAGA_REDIS) private readonly redis: Redis,
  ) {}

  /** Demo data must not take the application down: a failed seed is logged, and retried on the next reconnection. */
  onModuleInit(): void {
    this.stopSeeding = onEveryRedisReady(
      this.redis,
      async () => {
        // An account that exists keeps its balance: reopening the agency's on every reconnection is harmless.
        await Promise.all([this.travel.seed(), this.bank.openAccount(TRAVEL_AGENCY_ACCOUNT, 0)]);
      },
      (error) => this.logger.error({ message: 'Opening the demo travel agency failed', error: String(error) }),
    );
  }

  onModuleDestroy(): void {
    this.stopSeeding?.();
  }
}
