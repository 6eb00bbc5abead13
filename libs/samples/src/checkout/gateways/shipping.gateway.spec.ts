import { NotReservedError } from '../errors/not-reserved.error';
import { ShipmentAlreadyDeliveredError } from '../errors/shipment-already-delivered.error';
import { ShipmentCancelledError } from '../errors/shipment-cancelled.error';
import { UnshippableAddressError } from '../errors/unshippable-address.error';
import { connect, deleteKeys, uniquePrefix } from '../../../../../test/support/redis';
import { InventoryGateway } from './inventory.gateway';
import { ShippingGateway } from './shipping.gateway';

const address = { line1: '1 Rua Augusta', city: 'Lisbon', country: 'PT' };
const items = [
  { sku: 'SKU-COFFEE', quantity: 1 },
  { sku: 'SKU-MUG', quantity: 2 },
];

describe('ShippingGateway (against a real Redis)', () => {
  const redis = connect();
  let prefix: string;
  let inventory: InventoryGateway;
  let shipping: ShippingGateway;

  beforeEach(async () => {
    prefix = uniquePrefix();
    inventory = new InventoryGateway(redis, prefix);
    shipping = new ShippingGateway(redis, prefix, inventory);
    await inventory.seed();
    await inventory.reserve('order-1', items);
  });
  afterEach(() => deleteKeys(redis, prefix));
  afterAll(() => redis.quit());

  describe('ship', () => {
    it('creates the shipment and moves the units from reserved to shipped', async () => {
      const created = await shipping.ship('order-1', items, address);

      expect(created).toEqual({
        shipmentId: expect.stringMatching(/^shp_/),
        trackingNumber: expect.stringMatching(/^SF[0-9A-F]{10}$/),
      });
      expect(await shipping.getShipment('order-1')).toEqual({
        shipmentId: created.shipmentId,
        status: 'created',
        trackingNumber: created.trackingNumber,
        items,
      });
      expect(await inventory.getSku('SKU-MUG')).toEqual({ sku: 'SKU-MUG', available: 23, reserved: 0, shipped: 2 });
      expect(await inventory.getSku('SKU-COFFEE')).toMatchObject({ available: 99, reserved: 0, shipped: 1 });
    });

    it('returns the same shipment when called again, and moves nothing twice', async () => {
      const first = await shipping.ship('order-1', items, address);
      const again = await shipping.ship('order-1', items, address);

      expect(again).toEqual(first);
      expect(await inventory.getSku('SKU-MUG')).toMatchObject({ reserved: 0, shipped: 2 });
    });

    it('leaves the reservation unreleasable once shipped', async () => {
      await shipping.ship('order-1', items, address);

      expect(await inventory.release('order-1')).toBe(false);
      expect(await inventory.getSku('SKU-MUG')).toMatchObject({ available: 23, reserved: 0, shipped: 2 });
    });

    describe('when the address is in Antarctica', () => {
      it('throws UnshippableAddressError, a permanent error, and moves nothing', async () => {
        const shipped = shipping.ship('order-1', items, { ...address, country: 'AQ' });

        await expect(shipped).rejects.toThrow(UnshippableAddressError);
        await expect(shipped).rejects.toMatchObject({ country: 'AQ', code: 'CHECKOUT.UNSHIPPABLE_ADDRESS' });
        expect(await shipping.getShipment('order-1')).toBeUndefined();
        expect(await inventory.getSku('SKU-MUG')).toMatchObject({ reserved: 2, shipped: 0 });
      });
    });

    describe('when the order holds no reservation', () => {
      it('throws NotReservedError once the reservation is released', async () => {
        await inventory.release('order-1');

        await expect(shipping.ship('order-1', items, address)).rejects.toThrow(NotReservedError);
        expect(await shipping.getShipment('order-1')).toBeUndefined();
      });

      it('throws NotReservedError for an order never reserved', async () => {
        await expect(shipping.ship('order-2', items, address)).rejects.toThrow(NotReservedError);
        expect(await inventory.getSku('SKU-MUG')).toMatchObject({ reserved: 2, shipped: 0 });
      });
    });
  });

  describe('cancel', () => {
    it('cancels a shipment not delivered yet and puts its units back to available, once', async () => {
      await shipping.ship('order-1', items, address);

      expect(await shipping.cancel('order-1')).toBe(true);
      expect(await shipping.cancel('order-1')).toBe(false);
      expect(await shipping.getShipment('order-1')).toMatchObject({ status: 'cancelled' });
      expect(await inventory.getSku('SKU-MUG')).toEqual({ sku: 'SKU-MUG', available: 25, reserved: 0, shipped: 0 });
      expect(await inventory.getSku('SKU-COFFEE')).toMatchObject({ available: 100, reserved: 0, shipped: 0 });
    });

    it('leaves nothing for a later release to move', async () => {
      await shipping.ship('order-1', items, address);
      await shipping.cancel('order-1');

      expect(await inventory.release('order-1')).toBe(false);
      expect(await inventory.getSku('SKU-MUG')).toMatchObject({ available: 25, reserved: 0, shipped: 0 });
    });

    it('does nothing for an order without shipment', async () => {
      expect(await shipping.cancel('order-1')).toBe(false);
      expect(await inventory.getSku('SKU-MUG')).toMatchObject({ available: 23, reserved: 2 });
    });

    describe('when the shipment was delivered', () => {
      it('throws ShipmentAlreadyDeliveredError, a permanent error, and the stock stays shipped', async () => {
        await shipping.ship('order-1', items, address);
        await shipping.markDelivered('order-1');

        await expect(shipping.cancel('order-1')).rejects.toThrow(ShipmentAlreadyDeliveredError);
        expect(await shipping.getShipment('order-1')).toMatchObject({ status: 'delivered' });
        expect(await inventory.getSku('SKU-MUG')).toMatchObject({ available: 23, shipped: 2 });
      });
    });
  });

  describe('markDelivered', () => {
    it('marks the shipment delivered, idempotently, keeping the first delivery time', async () => {
      const { shipmentId } = await shipping.ship('order-1', items, address);
      const first = new Date('2026-11-25T10:00:00.000Z');

      expect(await shipping.markDelivered('order-1', first)).toMatchObject({
        shipmentId,
        status: 'delivered',
        deliveredAt: first.toISOString(),
      });
      expect(await shipping.markDelivered('order-1', new Date('2026-11-26T10:00:00.000Z'))).toMatchObject({
        status: 'delivered',
        deliveredAt: first.toISOString(),
      });
    });

    it('answers undefined for an order without shipment', async () => {
      expect(await shipping.markDelivered('order-1')).toBeUndefined();
    });

    it('throws ShipmentCancelledError for a cancelled shipment', async () => {
      await shipping.ship('order-1', items, address);
      await shipping.cancel('order-1');

      await expect(shipping.markDelivered('order-1')).rejects.toThrow(ShipmentCancelledError);
      expect(await shipping.getShipment('order-1')).toMatchObject({ status: 'cancelled' });
    });
  });
});
