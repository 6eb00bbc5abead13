import { shipmentDeliveredEvent } from './shipment-delivered.event';

describe('shipmentDeliveredEvent', () => {
  it('keys the event by order id, with an id derived from it so that a repeated delivery is one event', () => {
    const delivered = { orderId: 'order-1', shipmentId: 'shp_1', deliveredAt: '2026-11-25T15:00:00.000Z' };

    expect(shipmentDeliveredEvent(delivered)).toEqual({
      id: 'shipment-delivered-order-1',
      type: 'shipment.delivered',
      key: 'order-1',
      payload: delivered,
    });
  });
});
