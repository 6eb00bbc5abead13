import { Inject, Logger, Module, type OnModuleDestroy, type OnModuleInit, type Provider } from '@nestjs/common';
import { SAGA_PREFIX, SAGA_REDIS, onEveryRedisReady } from '@sagaflow/nestjs';
import type { Redis } from 'ioredis';
import { InventoryGateway } from './gateways/inventory.gateway';
import { PaymentGateway } from './gateways/payment.gateway';
import { ShippingGateway } from './gateways/shipping.gateway';
import { ChargePaymentStep } from './steps/charge-payment.step';
import { ReserveInventoryStep } from './steps/reserve-inventory.step';
import { ShipOrderStep } from './steps/ship-order.step';

// The gateways are plain classes, built here: their specs then run without Nest, whose ESM-only packages
// Jest cannot load.
const GATEWAYS: Provider[] = [
  {
    provide: InventoryGateway,
    useFactory: (redis: Redis, prefix: string) => new InventoryGateway(redis, prefix),
    inject: [SAGA_REDIS, SAGA_PREFIX],
  },
  {
    provide: PaymentGateway,
    useFactory: (redis: Redis, prefix: string) => new PaymentGateway(redis, prefix),
    inject: [SAGA_REDIS, SAGA_PREFIX],
  },
  {
    provide: ShippingGateway,
    useFactory: (redis: Redis, prefix: string, inventory: InventoryGateway) =>
      new ShippingGateway(redis, prefix, inventory),
    inject: [SAGA_REDIS, SAGA_PREFIX, InventoryGateway],
  },
];
const STEPS = [ReserveInventoryStep, ChargePaymentStep, ShipOrderStep];

/**
 * Provides the checkout steps and their demo gateways, and seeds the demo stock at start-up and after every
 * reconnection to Redis. It does not register the saga: the application does that with the engine's module,
 * which also provides the `SAGA_REDIS` and `SAGA_PREFIX` tokens the gateways need (globally).
 * @publicApi
 */
@Module({
  providers: [...GATEWAYS, ...STEPS],
  exports: [InventoryGateway, PaymentGateway, ShippingGateway, ...STEPS],
})
export class CheckoutSagaModule implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(CheckoutSagaModule.name);
  private stopSeeding?: () => void;

  constructor(
    private readonly inventory: InventoryGateway,
    @Inject(SAGA_REDIS) private readonly redis: Redis,
  ) {}

  /** Demo data must not take the application down: a failed seed is logged, and retried on the next reconnection. */
  onModuleInit(): void {
    this.stopSeeding = onEveryRedisReady(
      this.redis,
      () => this.inventory.seed(),
      (error) => this.logger.error({ message: 'Seeding the demo stock failed', error: String(error) }),
    );
  }

  onModuleDestroy(): void {
    this.stopSeeding?.();
  }
}
