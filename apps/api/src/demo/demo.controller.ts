import { ConflictException, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  InventoryGateway,
  PaymentGateway,
  ShipmentCancelledError,
  ShippingGateway,
  type PaymentRecord,
  type ShipmentRecord,
  type StockLevel,
} from '@sagaflow/checkout-saga';
import type { ErrorBody } from '../http/error-body';
import { demoNotFound } from './demo-not-found';

/** Read-outs of the demo gateways, so that a checkout's effects can be watched, plus delivering a shipment. */
@Controller('demo')
export class DemoController {
  constructor(
    private readonly inventory: InventoryGateway,
    private readonly payments: PaymentGateway,
    private readonly shipping: ShippingGateway,
  ) {}

  @Get('inventory')
  listInventory(): Promise<StockLevel[]> {
    return this.inventory.list();
  }

  @Get('inventory/:sku')
  async getSku(@Param('sku') sku: string): Promise<StockLevel> {
    const level = await this.inventory.getSku(sku);
    if (!level) throw demoNotFound(`No SKU "${sku}" is stocked; GET /demo/inventory lists them.`);
    return level;
  }

  @Get('payments/:orderId')
  async getPayment(@Param('orderId') orderId: string): Promise<PaymentRecord> {
    const payment = await this.payments.getPayment(orderId);
    if (!payment) throw demoNotFound(`Order "${orderId}" was never charged.`);
    return payment;
  }

  @Get('shipments/:orderId')
  async getShipment(@Param('orderId') orderId: string): Promise<ShipmentRecord> {
    const shipment = await this.shipping.getShipment(orderId);
    if (!shipment) throw demoNotFound(`Order "${orderId}" has no shipment.`);
    return shipment;
  }

  /** Delivers the shipment, after which it can no longer be cancelled: 200 with the shipment, 409 if cancelled. */
  @Post('shipments/:orderId/deliver')
  @HttpCode(HttpStatus.OK)
  async deliver(@Param('orderId') orderId: string): Promise<ShipmentRecord> {
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
    return shipment;
  }
}
