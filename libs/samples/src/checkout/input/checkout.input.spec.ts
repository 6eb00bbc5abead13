import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { CheckoutInput } from './checkout.input';

const valid = {
  orderId: 'order-1',
  customerId: 'customer_1',
  items: [{ sku: 'SKU-MUG', quantity: 2, priceCents: 1_250 }],
  payment: { cardNumber: '4242424242424242' },
  shippingAddress: { line1: '1 Rua Augusta', city: 'Lisbon', country: 'PT' },
};

const address = (override: object) => ({ ...valid.shippingAddress, ...override });

/** The dotted paths of the fields at fault, as the engine reports them. */
async function faults(plain: object): Promise<string[]> {
  const paths: string[] = [];
  const walk = (errors: Awaited<ReturnType<typeof validate>>, parent: string) => {
    for (const error of errors) {
      const path = parent ? `${parent}.${error.property}` : error.property;
      if (error.constraints) paths.push(path);
      walk(error.children ?? [], path);
    }
  };
  walk(await validate(plainToInstance(CheckoutInput, plain)), '');
  return paths.sort();
}

describe('CheckoutInput', () => {
  it('accepts a well-formed order', async () => {
    expect(await faults(valid)).toEqual([]);
  });

  it.each([
    ['an order id with a colon', { orderId: 'order:1' }, ['orderId']],
    ['an order id longer than 64 characters', { orderId: 'o'.repeat(65) }, ['orderId']],
    ['an empty customer id', { customerId: '' }, ['customerId']],
    ['no items', { items: [] }, ['items']],
    [
      'a zero quantity and a negative price',
      { items: [{ sku: 'SKU-MUG', quantity: 0, priceCents: -1 }] },
      ['items.0.priceCents', 'items.0.quantity'],
    ],
    ['a fractional quantity', { items: [{ sku: 'SKU-MUG', quantity: 1.5, priceCents: 1 }] }, ['items.0.quantity']],
    ['an empty SKU', { items: [{ sku: '', quantity: 1, priceCents: 1 }] }, ['items.0.sku']],
    ['a card number with letters', { payment: { cardNumber: '4242abcd42424242' } }, ['payment.cardNumber']],
    ['a card number of 11 digits', { payment: { cardNumber: '42424242424' } }, ['payment.cardNumber']],
    ['a payment without card', { payment: {} }, ['payment.cardNumber']],
    ['no payment at all', { payment: undefined }, ['payment']],
    ['a lower-case country', { shippingAddress: address({ country: 'pt' }) }, ['shippingAddress.country']],
    ['a country that does not exist', { shippingAddress: address({ country: 'XX' }) }, ['shippingAddress.country']],
    ['an empty city', { shippingAddress: address({ city: '' }) }, ['shippingAddress.city']],
  ])('rejects %s', async (_case, override, fields) => {
    expect(await faults({ ...valid, ...override })).toEqual(fields);
  });

  it('accepts Antarctica, which only the carrier refuses', async () => {
    expect(await faults({ ...valid, shippingAddress: address({ country: 'AQ' }) })).toEqual([]);
  });
});
