import { validateObject } from '@sagaflow/core';
import { LoyaltyInput } from './loyalty.input';

const valid = { orderId: 'order-1', memberId: 'M-1001', points: 30 };

/** The fields at fault with their messages, as the engine reports them. */
async function faults(plain: object): Promise<Record<string, readonly string[]>> {
  const checked = await validateObject(LoyaltyInput, plain);
  return checked.valid ? {} : Object.fromEntries(checked.errors.map((error) => [error.field, error.messages]));
}

describe('LoyaltyInput', () => {
  it('accepts a member of the programme', async () => {
    expect(await faults(valid)).toEqual({});
  });

  it.each(['M-100', 'M-123456789012'])('accepts the member id %j', async (memberId) => {
    expect(await faults({ ...valid, memberId })).toEqual({});
  });

  it.each(['bad id', 'M-12', 'M-1234567890123', 'm-1001', 'M1001', ' M-1001', 1001])(
    'rejects the member id %j, saying what one looks like',
    async (memberId) => {
      expect(await faults({ ...valid, memberId })).toEqual({
        memberId: ['memberId must be "M-" followed by 3 to 12 digits, such as "M-1001"'],
      });
    },
  );

  it.each([
    ['no points', { points: 0 }, ['points']],
    ['fractional points', { points: 1.5 }, ['points']],
    ['an order id with a colon', { orderId: 'order:1' }, ['orderId']],
    ['a field of its own', { tier: 'gold' }, ['tier']],
  ])('rejects %s', async (_case, override, fields) => {
    expect(Object.keys(await faults({ ...valid, ...override }))).toEqual(fields);
  });
});
