import { validateObject } from '@sagaflow/core';
import { ShipmentDelivered, shipmentDeliveredEvent } from './shipment-delivered.event';

const delivered = { orderId: 'order-1', shipmentId: 'shp_1', deliveredAt: '2026-11-25T15:00:00.000Z' };

describe('ShipmentDelivered', () => {
  it('accepts a delivery', async () => {
    expect(await validateObject(ShipmentDelivered, delivered)).toMatchObject({ valid: true });
  });

  it.each([
    ['a date that is not ISO 8601', { deliveredAt: 'yesterday' }, 'deliveredAt'],
    ['an order id with a colon', { orderId: 'order:1' }, 'orderId'],
    ['no shipment id', { shipmentId: undefined }, 'shipmentId'],
    ['a field of its own', { signedBy: 'Ana' }, 'signedBy'],
  ])('refuses %s', async (_case, override, field) => {
    const checked = await validateObject(ShipmentDelivered, { ...delivered, ...override });

    expect(checked.valid).toBe(false);
    expect(checked.valid ? [] : checked.errors.map((error) => error.field)).toEqual([field]);
  });
});

describe('shipmentDeliveredEvent', () => {
  it('keys the event by order id, with an id derived from it so that a repeated delivery is one event', () => {
    expect(shipmentDeliveredEvent(delivered)).toEqual({
      id: 'shipment-delivered-order-1',
      type: 'shipment.delivered',
      key: 'order-1',
      payload: delivered,
    });
  });
});
