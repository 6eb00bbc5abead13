import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LuaScripts, guardRedis } from '@sagaflow/core';
import { ShipmentAlreadyDeliveredError } from '../errors/shipment-already-delivered.error';
import { ShipmentCancelledError } from '../errors/shipment-cancelled.error';
import { UnshippableAddressError } from '../errors/unshippable-address.error';
import { DemoKeys } from './demo-keys';
import { type InventoryGateway } from './inventory.gateway';
import { normalizeItems } from './normalize-items';
import type { ShipmentCreated, ShipmentRecord, ShipmentStatus, ShippingAddress } from './shipping.types';
import type { StockItem } from './stock-item';
import type { ScriptReply } from './script-reply';
import { LUA_DIR } from '../../lua-dir';

const SCRIPTS = ['deliver-shipment-1.lua'] as const;

/** Antarctica: no carrier of the demo goes there, which makes the shipping step fail on demand. */
const UNSHIPPABLE_COUNTRY = 'AQ';

/**
 * A fake but stateful carrier in Redis: at most one shipment per order. Creating and cancelling a shipment
 * move the order's stock in the same atomic step (through {@link InventoryGateway}).
 *
 * A plain class, free of Nest: `CheckoutSagaModule` builds it on the engine's connection and key prefix.
 * @publicApi
 */
export class ShippingGateway {
  private readonly keys: DemoKeys;
  private readonly scripts: LuaScripts<(typeof SCRIPTS)[number]>;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly inventory: InventoryGateway,
  ) {
    this.keys = new DemoKeys(prefix);
    this.scripts = new LuaScripts(redis, join(LUA_DIR, 'checkout'), SCRIPTS, 'checkoutDemo');
  }

  /**
   * Ships the order's reserved items: creates the shipment and moves their units from reserved to shipped.
   * A repeated call returns the first shipment and moves nothing.
   * @param items - exactly the items reserved for the order
   * @throws UnshippableAddressError for a country no carrier serves; NotReservedError when the items are not
   * reserved for the order
   */
  async ship(orderId: string, items: readonly StockItem[], address: ShippingAddress): Promise<ShipmentCreated> {
    if (address.country === UNSHIPPABLE_COUNTRY) throw new UnshippableAddressError(orderId, address.country);
    const key = this.keys.shipment(orderId);
    const normalized = normalizeItems(items);
    await this.inventory.moveReservedToShipped(orderId, normalized, {
      key,
      fields: {
        shipmentId: `shp_${randomUUID()}`,
        trackingNumber: `SF${randomBytes(5).toString('hex').toUpperCase()}`,
        status: 'created' satisfies ShipmentStatus,
        items: JSON.stringify(normalized),
        address: JSON.stringify({ line1: address.line1, city: address.city, country: address.country }),
      },
    });
    // Created now or by an earlier call: the stored record is the answer either way.
    const [shipmentId, trackingNumber] = (await guardRedis(() =>
      this.redis.hmget(key, 'shipmentId', 'trackingNumber'),
    )) as string[];
    return { shipmentId, trackingNumber };
  }

  /**
   * Cancels the order's shipment and puts its units back to available. Calling it again, or for an order
   * without shipment, changes nothing.
   * @returns whether this call cancelled it
   * @throws ShipmentAlreadyDeliveredError when the shipment was delivered
   */
  async cancel(orderId: string): Promise<boolean> {
    const outcome = await this.inventory.moveShippedToAvailable(orderId, this.keys.shipment(orderId));
    if (outcome === 'delivered') throw new ShipmentAlreadyDeliveredError(orderId);
    return outcome === 'returned';
  }

  /**
   * Marks the order's shipment delivered (idempotent: a repeated call keeps the first delivery's time); from then
   * on it cannot be cancelled.
   * @param at - when it was delivered
   * @returns the shipment, or `undefined` when the order has none
   * @throws ShipmentCancelledError when the shipment was cancelled
   */
  async markDelivered(orderId: string, at = new Date()): Promise<ShipmentRecord | undefined> {
    const [code] = await this.scripts.run<ScriptReply>(
      'deliver-shipment-1.lua',
      [this.keys.shipment(orderId)],
      [at.toISOString()],
    );
    if (code === -1) return undefined;
    if (code === -2) throw new ShipmentCancelledError(orderId);
    return this.getShipment(orderId);
  }

  /** The order's shipment, or `undefined` when it has none. */
  async getShipment(orderId: string): Promise<ShipmentRecord | undefined> {
    const [shipmentId, status, trackingNumber, items, deliveredAt] = await guardRedis(() =>
      this.redis.hmget(this.keys.shipment(orderId), 'shipmentId', 'status', 'trackingNumber', 'items', 'deliveredAt'),
    );
    if (shipmentId === null || status === null || trackingNumber === null || items === null) return undefined;
    return {
      shipmentId,
      status: status as ShipmentStatus,
      trackingNumber,
      items: JSON.parse(items) as StockItem[],
      ...(deliveredAt !== null && { deliveredAt }),
    };
  }
}
