import { Injectable, Logger } from '@nestjs/common';
import type { SagaData, SagaStep, StepContext } from '@sagaflow/core';
import type { Reservation } from '../gateways/inventory.types';
import type { Charge } from '../gateways/payment.types';
import { ShippingGateway } from '../gateways/shipping.gateway';
import type { ShipmentCreated } from '../gateways/shipping.types';
import type { CheckoutInput } from '../input/checkout.input';

/** What `shipOrder` receives: it runs once the stock is reserved and the order paid. @publicApi */
export type ShipOrderData = SagaData<CheckoutInput, { reserveInventory: Reservation; chargePayment: Charge }>;

/**
 * Ships the reserved items to the address; undone by cancelling the shipment, which puts the stock back. It is
 * undone when `awaitDelivery` times out too, so its compensation must work on a parcel still on its way.
 * @publicApi
 */
@Injectable()
export class ShipOrderStep implements SagaStep<ShipOrderData, ShipmentCreated> {
  private readonly logger = new Logger(ShipOrderStep.name);

  constructor(private readonly shipping: ShippingGateway) {}

  /** @throws UnshippableAddressError (permanent) */
  async run({ input, outputs }: ShipOrderData, ctx: StepContext): Promise<ShipmentCreated> {
    // The reserved items, not the input's: shipping moves exactly what the reservation holds.
    const shipment = await this.shipping.ship(input.orderId, outputs.reserveInventory.items, input.shippingAddress);
    this.logger.log({
      message: 'Order shipped',
      sagaId: ctx.sagaId,
      orderId: input.orderId,
      shipmentId: shipment.shipmentId,
      trackingNumber: shipment.trackingNumber,
    });
    return shipment;
  }

  /**
   * @throws ShipmentAlreadyDeliveredError (permanent: the saga ends in compensation_failed) when the parcel was
   * delivered all the same, but its event came after `awaitDelivery` had timed out
   */
  async compensate({ input }: ShipOrderData, shipment: ShipmentCreated, ctx: StepContext): Promise<void> {
    const cancelled = await this.shipping.cancel(input.orderId);
    this.logger.log({
      message: cancelled ? 'Shipment cancelled, stock returned' : 'Shipment already cancelled',
      sagaId: ctx.sagaId,
      orderId: input.orderId,
      shipmentId: shipment.shipmentId,
    });
  }
}
