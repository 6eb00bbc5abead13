import { StoreUnavailableError } from '@sagaflow/core';
import { Redis } from 'ioredis';
import { NotReservedError } from '../errors/not-reserved.error';
import { OutOfStockError } from '../errors/out-of-stock.error';
import { UnknownSkuError } from '../errors/unknown-sku.error';
import { connect, deleteKeys, uniquePrefix } from '../../../../../test/support/redis';
import { DEMO_STOCK } from './demo-stock';
import { InventoryGateway } from './inventory.gateway';

describe('InventoryGateway (against a real Redis)', () => {
  const redis = connect();
  let prefix: string;
  let inventory: InventoryGateway;

  beforeEach(async () => {
    prefix = uniquePrefix();
    inventory = new InventoryGateway(redis, prefix);
    await inventory.seed();
  });
  afterEach(() => deleteKeys(redis, prefix));
  afterAll(() => redis.quit());

  describe('seed', () => {
    it('stocks the demo SKUs with nothing reserved or shipped', async () => {
      expect(await inventory.list()).toEqual(
        Object.entries(DEMO_STOCK)
          .map(([sku, available]) => ({ sku, available, reserved: 0, shipped: 0 }))
          .sort((a, b) => (a.sku < b.sku ? -1 : 1)),
      );
    });

    it('keeps the figures of SKUs already present', async () => {
      await inventory.reserve('order-1', [{ sku: 'SKU-MUG', quantity: 3 }]);
      await inventory.seed();
      expect(await inventory.getSku('SKU-MUG')).toEqual({ sku: 'SKU-MUG', available: 22, reserved: 3, shipped: 0 });
    });
  });

  describe('reserve', () => {
    it('moves the items from available to reserved, one entry per SKU', async () => {
      const reservation = await inventory.reserve('order-1', [
        { sku: 'SKU-MUG', quantity: 2 },
        { sku: 'SKU-COFFEE', quantity: 1 },
        { sku: 'SKU-MUG', quantity: 1 },
      ]);

      expect(reservation).toEqual({
        reservationId: expect.stringMatching(/^rsv_/),
        items: [
          { sku: 'SKU-COFFEE', quantity: 1 },
          { sku: 'SKU-MUG', quantity: 3 },
        ],
      });
      expect(await inventory.getSku('SKU-MUG')).toEqual({ sku: 'SKU-MUG', available: 22, reserved: 3, shipped: 0 });
      expect(await inventory.getSku('SKU-COFFEE')).toMatchObject({ available: 99, reserved: 1 });
    });

    describe('when called again for the same order', () => {
      it('returns the same reservation and moves nothing twice', async () => {
        const first = await inventory.reserve('order-1', [{ sku: 'SKU-GRINDER', quantity: 2 }]);
        const again = await inventory.reserve('order-1', [{ sku: 'SKU-GRINDER', quantity: 2 }]);

        expect(again).toEqual(first);
        expect(await inventory.getSku('SKU-GRINDER')).toMatchObject({ available: 3, reserved: 2 });
      });
    });

    describe('when an item is beyond stock', () => {
      it('throws OutOfStockError naming the SKU, and reserves none of the items', async () => {
        const before = await inventory.list();
        const reserving = inventory.reserve('order-1', [
          { sku: 'SKU-MUG', quantity: 1 },
          { sku: 'SKU-GRINDER', quantity: 6 },
        ]);

        await expect(reserving).rejects.toThrow(OutOfStockError);
        await expect(reserving).rejects.toMatchObject({
          sku: 'SKU-GRINDER',
          requested: 6,
          available: 5,
          code: 'CHECKOUT.OUT_OF_STOCK',
        });
        expect(await inventory.list()).toEqual(before);
      });
    });

    describe('when a SKU is unknown', () => {
      it('throws UnknownSkuError naming it, and reserves nothing', async () => {
        const before = await inventory.list();
        const reserving = inventory.reserve('order-1', [
          { sku: 'SKU-MUG', quantity: 1 },
          { sku: 'SKU-TEAPOT', quantity: 1 },
        ]);

        await expect(reserving).rejects.toThrow(UnknownSkuError);
        await expect(reserving).rejects.toMatchObject({ sku: 'SKU-TEAPOT', code: 'CHECKOUT.UNKNOWN_SKU' });
        expect(await inventory.list()).toEqual(before);
      });
    });

    describe('when orders compete for the last units', () => {
      it('never reserves more than is available', async () => {
        const orders = Array.from({ length: 8 }, (_, i) =>
          inventory.reserve(`order-${i}`, [{ sku: 'SKU-GRINDER', quantity: 1 }]),
        );
        const results = await Promise.allSettled(orders);

        expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(5);
        expect(await inventory.getSku('SKU-GRINDER')).toMatchObject({ available: 0, reserved: 5 });
      });
    });
  });

  describe('release', () => {
    it('puts the reserved units back to available, once', async () => {
      await inventory.reserve('order-1', [{ sku: 'SKU-MUG', quantity: 4 }]);

      expect(await inventory.release('order-1')).toBe(true);
      expect(await inventory.release('order-1')).toBe(false);
      expect(await inventory.getSku('SKU-MUG')).toEqual({ sku: 'SKU-MUG', available: 25, reserved: 0, shipped: 0 });
    });

    it('does nothing for an order that reserved nothing', async () => {
      expect(await inventory.release('order-unknown')).toBe(false);
      expect(await inventory.getSku('SKU-MUG')).toMatchObject({ available: 25, reserved: 0 });
    });

    it('keeps a released order from reserving again under the same id', async () => {
      const first = await inventory.reserve('order-1', [{ sku: 'SKU-MUG', quantity: 4 }]);
      await inventory.release('order-1');

      expect(await inventory.reserve('order-1', [{ sku: 'SKU-MUG', quantity: 4 }])).toEqual(first);
      expect(await inventory.getSku('SKU-MUG')).toMatchObject({ available: 25, reserved: 0 });
    });
  });

  describe('moveReservedToShipped', () => {
    it('throws NotReservedError when the items differ from the reserved ones, and moves nothing', async () => {
      await inventory.reserve('order-1', [{ sku: 'SKU-MUG', quantity: 2 }]);
      const shipment = { key: `${prefix}:record`, fields: { status: 'created' } };

      await expect(
        inventory.moveReservedToShipped('order-1', [{ sku: 'SKU-MUG', quantity: 3 }], shipment),
      ).rejects.toThrow(NotReservedError);
      expect(await inventory.getSku('SKU-MUG')).toMatchObject({ available: 23, reserved: 2, shipped: 0 });
      expect(await redis.exists(shipment.key)).toBe(0);
    });
  });

  describe('getSku', () => {
    it('answers undefined for a SKU that is not stocked', async () => {
      expect(await inventory.getSku('SKU-TEAPOT')).toBeUndefined();
    });
  });

  describe('when Redis cannot be reached', () => {
    it("fails with the engine's StoreUnavailableError, so the API answers 503 and a step retries", async () => {
      // Never connected, and no offline queue: every command fails at once, as on the API's connection.
      const unreachable = new Redis({ lazyConnect: true, enableOfflineQueue: false });
      const offline = new InventoryGateway(unreachable, prefix);

      await expect(offline.getSku('SKU-MUG')).rejects.toThrow(StoreUnavailableError);
      const reserving = offline.reserve('order-1', [{ sku: 'SKU-MUG', quantity: 1 }]);
      await expect(reserving).rejects.toThrow(StoreUnavailableError);
      unreachable.disconnect();
    });
  });
});
