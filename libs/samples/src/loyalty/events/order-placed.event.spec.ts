import { ORDER_PLACED, loyaltyInputFromOrderPlaced } from './order-placed.event';

const order = {
  orderId: 'order-1',
  customerId: 'customer-1',
  items: [
    { sku: 'SKU-MUG', quantity: 2, priceCents: 1_250 },
    { sku: 'SKU-COFFEE', quantity: 1, priceCents: 1_800 },
  ],
};

const event = (payload: Record<string, unknown>) => ({ id: 'evt-1', type: ORDER_PLACED, payload });

describe('loyaltyInputFromOrderPlaced', () => {
  describe('when the order carries a member id', () => {
    it('awards 10 points per unit ordered, and keeps only what the saga needs', () => {
      expect(loyaltyInputFromOrderPlaced(event({ ...order, memberId: 'M-1001' }))).toEqual({
        orderId: 'order-1',
        memberId: 'M-1001',
        points: 30,
      });
    });

    it('passes an invalid member id on, for the engine to reject with its field', () => {
      expect(loyaltyInputFromOrderPlaced(event({ ...order, memberId: 'bad id' }))).toMatchObject({
        memberId: 'bad id',
      });
    });

    it.each([
      ['no items', undefined],
      ['an empty list', []],
      ['a quantity that is not a whole number', [{ sku: 'SKU-MUG', quantity: '2' }]],
      ['an item that is not an object', [null]],
    ])('throws for %s, which the engine reports as a rejection', (_case, items) => {
      expect(() => loyaltyInputFromOrderPlaced(event({ ...order, items, memberId: 'M-1001' }))).toThrow(
        'the order has no items with a whole quantity to count points from',
      );
    });
  });

  it.each([
    ['no member id', {}],
    ['a null member id', { memberId: null }],
  ])('answers undefined, "not for this saga", for an order with %s', (_case, member) => {
    expect(loyaltyInputFromOrderPlaced(event({ ...order, ...member }))).toBeUndefined();
  });
});
