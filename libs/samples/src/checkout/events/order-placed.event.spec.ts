import { validateObject } from '@sagaflow/core';
import { CheckoutInput } from '../input/checkout.input';
import { ORDER_PLACED, checkoutInputFromOrderPlaced } from './order-placed.event';

const order = {
  orderId: 'order-1',
  customerId: 'customer_1',
  items: [{ sku: 'SKU-MUG', quantity: 2, priceCents: 1_250 }],
  payment: { cardNumber: '4242424242424242' },
  shippingAddress: { line1: '1 Rua Augusta', city: 'Lisbon', country: 'PT' },
};

const event = (payload: Record<string, unknown>) => ({ id: 'evt-1', type: ORDER_PLACED, payload });

describe('checkoutInputFromOrderPlaced', () => {
  describe('when the order carries a member id', () => {
    it('drops it, so that the checkout input, which refuses undeclared fields, accepts the order', async () => {
      const input = checkoutInputFromOrderPlaced(event({ ...order, memberId: 'M-1001' }));

      expect(input).toEqual(order);
      expect(await validateObject(CheckoutInput, input)).toMatchObject({ valid: true });
    });
  });

  it('passes an order without member id as it is', () => {
    expect(checkoutInputFromOrderPlaced(event(order))).toEqual(order);
  });

  it('leaves validation to the engine: other undeclared fields still reach it', async () => {
    const checked = await validateObject(CheckoutInput, checkoutInputFromOrderPlaced(event({ ...order, coupon: 'X' })));

    expect(checked).toEqual({
      valid: false,
      errors: [{ field: 'coupon', messages: ['property coupon should not exist'] }],
    });
  });
});
