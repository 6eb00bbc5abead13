import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { TransferInput } from './transfer.input';

const valid = {
  transferId: 'tr-1',
  fromAccount: 'acct-alice',
  toAccount: 'acct-bob',
  amountCents: 2_500,
  reference: 'Dinner',
};

/** The fields at fault with their messages, as the engine reports them. */
async function faults(plain: object): Promise<Record<string, string[]>> {
  const errors = await validate(plainToInstance(TransferInput, plain));
  return Object.fromEntries(errors.map((error) => [error.property, Object.values(error.constraints ?? {})]));
}

describe('TransferInput', () => {
  it('accepts a well-formed transfer', async () => {
    expect(await faults(valid)).toEqual({});
  });

  it('accepts a transfer without reference', async () => {
    const { reference: _omitted, ...withoutReference } = valid;
    expect(await faults(withoutReference)).toEqual({});
  });

  it('accepts the largest amount, 1e9 cents', async () => {
    expect(await faults({ ...valid, amountCents: 1_000_000_000 })).toEqual({});
  });

  describe('when both accounts are the same', () => {
    it('rejects it on toAccount, the field to change', async () => {
      expect(await faults({ ...valid, toAccount: 'acct-alice' })).toEqual({
        toAccount: ['toAccount must differ from fromAccount'],
      });
    });
  });

  it.each([
    ['a transfer id with a colon', { transferId: 'tr:1' }, ['transferId']],
    ['a transfer id longer than 64 characters', { transferId: 't'.repeat(65) }, ['transferId']],
    ['an empty source account', { fromAccount: '' }, ['fromAccount']],
    ['a destination account with a space', { toAccount: 'acct bob' }, ['toAccount']],
    ['a missing destination account', { toAccount: undefined }, ['toAccount']],
    ['a zero amount', { amountCents: 0 }, ['amountCents']],
    ['a negative amount', { amountCents: -100 }, ['amountCents']],
    ['a fractional amount', { amountCents: 10.5 }, ['amountCents']],
    ['an amount above 1e9 cents', { amountCents: 1_000_000_001 }, ['amountCents']],
    ['an amount given as a string', { amountCents: '100' }, ['amountCents']],
    ['a reference of 141 characters', { reference: 'r'.repeat(141) }, ['reference']],
    ['a reference that is not a string', { reference: 42 }, ['reference']],
  ])('rejects %s', async (_case, override, fields) => {
    expect(Object.keys(await faults({ ...valid, ...override })).sort()).toEqual(fields);
  });
});
