import { Injectable, Logger } from '@nestjs/common';
import type { SagaData, SagaStep, StepContext } from '@sagaflow/core';
import { InventoryGateway } from '../gateways/inventory.gateway';
import type { Reservation } from '../gateways/inventory.types';
import type { CheckoutInput } from '../input/checkout.input';

/** What `reserveInventory` receives: it runs first, so the input alone. @publicApi */
export type ReserveInventoryData = SagaData<CheckoutInput, object>;

/**
 * Reserves the ordered items, all or nothing; undone by releasing them.
 * @publicApi
 */
@Injectable()
export class ReserveInventoryStep implements SagaStep<ReserveInventoryData, Reservation> {
  private readonly logger = new Logger(ReserveInventoryStep.name);

  constructor(private readonly inventory: InventoryGateway) {}

  /** @throws UnknownSkuError, OutOfStockError (permanent: nothing to retry, nothing reserved) */
  async run({ input }: ReserveInventoryData, ctx: StepContext): Promise<Reservation> {
    const reservation = await this.inventory.reserve(input.orderId, input.items);
    this.logger.log({
      message: 'Stock reserved',
      sagaId: ctx.sagaId,
      orderId: input.orderId,
      reservationId: reservation.reservationId,
    });
    return reservation;
  }

  /** Releases the reservation; nothing is left to release once a cancelled shipment has returned its stock. */
  async compensate({ input }: ReserveInventoryData, reservation: Reservation, ctx: StepContext): Promise<void> {
    const released = await this.inventory.release(input.orderId);
    this.logger.log({
      message: released
        ? 'Reservation released'
        : 'Nothing reserved any more (released before, or shipped and returned)',
      sagaId: ctx.sagaId,
      orderId: input.orderId,
      reservationId: reservation.reservationId,
    });
  }
}
