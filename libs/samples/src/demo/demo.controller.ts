import { ConflictException, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  InventoryGateway,
  PaymentGateway,
  ShipmentCancelledError,
  ShippingGateway,
  shipmentDeliveredEvent,
  type PaymentRecord,
  type ShipmentRecord,
  type StockLevel,
} from '../checkout';
import { SagaClient } from '@sagaflow/core';
import { type ErrorBody, ApiErrorResponses } from '@sagaflow/server';
import type { DeliveredShipmentResponse } from './dto/delivered-shipment.response.dto';
import { demoNotFound } from './demo-not-found';

/**
 * Read-outs of the demo gateways, so that a checkout's effects can be watched, plus delivering a shipment, as the
 * carrier would.
 */
@ApiTags('demo')
@Controller('demo')
export class DemoController {
  constructor(
    private readonly inventory: InventoryGateway,
    private readonly payments: PaymentGateway,
    private readonly shipping: ShippingGateway,
    private readonly sagas: SagaClient,
  ) {}

  @Get('inventory')
  @ApiOperation({ summary: 'Stock of every SKU: available, reserved and shipped units' })
  @ApiOkResponse({ description: '`[{ sku, available, reserved, shipped }]`' })
  listInventory(): Promise<StockLevel[]> {
    return this.inventory.list();
  }

  @Get('inventory/:sku')
  @ApiOperation({ summary: 'Stock of one SKU' })
  @ApiOkResponse({ description: '`{ sku, available, reserved, shipped }`' })
  @ApiErrorResponses([404, 'No such SKU is stocked.'])
  async getSku(@Param('sku') sku: string): Promise<StockLevel> {
    const level = await this.inventory.getSku(sku);
    if (!level) throw demoNotFound(`No SKU "${sku}" is stocked; GET /demo/inventory lists them.`);
    return level;
  }

  @Get('payments/:orderId')
  @ApiOperation({ summary: "An order's payment" })
  @ApiOkResponse({ description: '`{ status, amountCents }`' })
  @ApiErrorResponses([404, 'The order was never charged.'], 503)
  async getPayment(@Param('orderId') orderId: string): Promise<PaymentRecord> {
    const payment = await this.payments.getPayment(orderId);
    if (!payment) throw demoNotFound(`Order "${orderId}" was never charged.`);
    return payment;
  }

  @Get('shipments/:orderId')
  @ApiOperation({ summary: "An order's shipment" })
  @ApiOkResponse({ description: '`{ shipmentId, status, trackingNumber, items, deliveredAt? }`' })
  @ApiErrorResponses([404, 'The order has no shipment.'], 503)
  async getShipment(@Param('orderId') orderId: string): Promise<ShipmentRecord> {
    const shipment = await this.shipping.getShipment(orderId);
    if (!shipment) throw demoNotFound(`Order "${orderId}" has no shipment.`);
    return shipment;
  }

  /**
   * Delivers the shipment, after which it can no longer be cancelled, and publishes `shipment.delivered`, which
   * ends the checkout's `awaitDelivery`: 200 with the shipment and what publishing did, 409 if the shipment was
   * cancelled, 404 if there is none. Calling it again is safe: the shipment keeps its first delivery, and the
   * event, whose id is derived from the order, is published once (a repeat answers the first result).
   */
  @Post('shipments/:orderId/deliver')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Deliver the shipment, as the carrier would, and publish shipment.delivered' })
  @ApiOkResponse({ description: 'The shipment, and `event`: what publishing shipment.delivered did.' })
  @ApiErrorResponses([404, 'The order has no shipment.'], [409, 'The shipment was cancelled.'], 503)
  async deliver(@Param('orderId') orderId: string): Promise<DeliveredShipmentResponse> {
    const shipment = await this.shipping.markDelivered(orderId).catch((error: unknown) => {
      if (error instanceof ShipmentCancelledError) {
        throw new ConflictException({
          statusCode: HttpStatus.CONFLICT,
          code: error.code,
          message: error.message,
        } satisfies ErrorBody);
      }
      throw error;
    });
    if (!shipment) throw demoNotFound(`Order "${orderId}" has no shipment.`);
    const event = await this.sagas.publish(
      shipmentDeliveredEvent({
        orderId,
        shipmentId: shipment.shipmentId,
        // Only a shipment delivered before the time was recorded lacks it; the event needs one.
        deliveredAt: shipment.deliveredAt ?? new Date().toISOString(),
      }),
    );
    return { ...shipment, event };
  }
}
