import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LuaScripts, execAll } from '@sagaflow/core';
import { NotReservedError } from '../errors/not-reserved.error';
import { OutOfStockError } from '../errors/out-of-stock.error';
import { UnknownSkuError } from '../errors/unknown-sku.error';
import { DEMO_STOCK } from './demo-stock';
import { DemoKeys } from './demo-keys';
import type { LinkedRecord, Reservation, ReturnOutcome, StockLevel } from './inventory.types';
import { normalizeItems } from './normalize-items';
import type { StockItem } from './stock-item';
import type { ScriptReply } from './script-reply';
import { LUA_DIR } from '../../lua-dir';

const SCRIPTS = [
  'reserve-stock-3.lua',
  'release-reservation-3.lua',
  'ship-reservation-4.lua',
  'return-shipment-4.lua',
] as const;

/** Replies of `return-shipment-4.lua`. */
const RETURN_OUTCOMES: Readonly<Record<number, ReturnOutcome>> = {
  1: 'returned',
  0: 'already-returned',
  [-1]: 'no-shipment',
  [-2]: 'delivered',
};

/**
 * A fake but stateful warehouse in Redis. Each SKU has three figures (available, reserved, shipped), and each
 * order at most one reservation. Every change is one Lua script, idempotent by order id.
 *
 * A plain class, free of Nest: `CheckoutSagaModule` builds it on the engine's connection and key prefix, and
 * its state lives under `<prefix>:demo:{checkout}:`.
 * @publicApi
 */
export class InventoryGateway {
  private readonly keys: DemoKeys;
  private readonly scripts: LuaScripts<(typeof SCRIPTS)[number]>;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = new DemoKeys(prefix);
    this.scripts = new LuaScripts(redis, join(LUA_DIR, 'checkout'), SCRIPTS, 'checkoutDemo');
  }

  /** Stocks the {@link DEMO_STOCK} SKUs that are not there yet; SKUs already present keep their figures. */
  async seed(): Promise<void> {
    const transaction = this.redis.multi();
    for (const [sku, units] of Object.entries(DEMO_STOCK)) {
      transaction.hsetnx(this.keys.stock('available'), sku, units);
      transaction.hsetnx(this.keys.stock('reserved'), sku, 0);
      transaction.hsetnx(this.keys.stock('shipped'), sku, 0);
    }
    await execAll(transaction);
  }

  /**
   * Moves the items from available to reserved for the order, all or nothing. Calling it again for the same
   * order returns the reservation made the first time and moves nothing.
   * @throws UnknownSkuError, OutOfStockError when an item cannot be served; nothing is reserved then
   */
  async reserve(orderId: string, items: readonly StockItem[]): Promise<Reservation> {
    const wanted = normalizeItems(items);
    const [code, ...values] = await this.scripts.run<ScriptReply>(
      'reserve-stock-3.lua',
      [this.keys.reservation(orderId), this.keys.stock('available'), this.keys.stock('reserved')],
      [`rsv_${randomUUID()}`, JSON.stringify(wanted)],
    );
    if (code === -1) throw new UnknownSkuError(values[0]);
    if (code === -2) {
      const [sku, available] = values;
      const requested = wanted.find((item) => item.sku === sku)?.quantity ?? 0;
      throw new OutOfStockError(sku, requested, Number(available));
    }
    return { reservationId: values[0], items: JSON.parse(values[1]) as StockItem[] };
  }

  /**
   * Puts the order's reserved units back to available.
   * @returns whether this call released them; `false` when there was nothing reserved (never reserved,
   * released before, or shipped)
   */
  async release(orderId: string): Promise<boolean> {
    const [code] = await this.scripts.run<ScriptReply>('release-reservation-3.lua', [
      this.keys.reservation(orderId),
      this.keys.stock('available'),
      this.keys.stock('reserved'),
    ]);
    return code === 1;
  }

  /**
   * For the shipping gateway: moves the order's reserved units to shipped and creates `shipment` in the same
   * atomic step. Nothing moves when `shipment.key` already exists.
   * @param items - exactly the reserved items
   * @returns whether this call moved the units
   * @throws NotReservedError when the order holds no reservation of exactly these items
   */
  async moveReservedToShipped(orderId: string, items: readonly StockItem[], shipment: LinkedRecord): Promise<boolean> {
    const [code] = await this.scripts.run<ScriptReply>(
      'ship-reservation-4.lua',
      [this.keys.reservation(orderId), this.keys.stock('reserved'), this.keys.stock('shipped'), shipment.key],
      [JSON.stringify(normalizeItems(items)), ...Object.entries(shipment.fields).flat()],
    );
    if (code === -1) throw new NotReservedError(orderId);
    return code === 1;
  }

  /**
   * For the shipping gateway: cancels the shipment hash at `shipmentKey` and puts its units back to available,
   * in one atomic step, unless its `status` is 'delivered'. Once returned, the reservation cannot be released.
   */
  async moveShippedToAvailable(orderId: string, shipmentKey: string): Promise<ReturnOutcome> {
    const [code] = await this.scripts.run<ScriptReply>('return-shipment-4.lua', [
      this.keys.reservation(orderId),
      this.keys.stock('shipped'),
      this.keys.stock('available'),
      shipmentKey,
    ]);
    return RETURN_OUTCOMES[code];
  }

  /** The figures of one SKU, or `undefined` when it is not stocked. */
  async getSku(sku: string): Promise<StockLevel | undefined> {
    const [available, reserved, shipped] = (await execAll(
      this.redis
        .multi()
        .hget(this.keys.stock('available'), sku)
        .hget(this.keys.stock('reserved'), sku)
        .hget(this.keys.stock('shipped'), sku),
    )) as (string | null)[];
    if (available === null) return undefined;
    return { sku, available: Number(available), reserved: Number(reserved ?? 0), shipped: Number(shipped ?? 0) };
  }

  /** Every stocked SKU with its figures, sorted by SKU; read in one transaction, so the figures agree. */
  async list(): Promise<StockLevel[]> {
    const [available, reserved, shipped] = (await execAll(
      this.redis
        .multi()
        .hgetall(this.keys.stock('available'))
        .hgetall(this.keys.stock('reserved'))
        .hgetall(this.keys.stock('shipped')),
    )) as Record<string, string>[];
    return Object.keys(available)
      .sort()
      .map((sku) => ({
        sku,
        available: Number(available[sku]),
        reserved: Number(reserved[sku] ?? 0),
        shipped: Number(shipped[sku] ?? 0),
      }));
  }
}
