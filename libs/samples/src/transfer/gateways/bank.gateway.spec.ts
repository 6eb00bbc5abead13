import { StoreUnavailableError } from '@sagaflow/core';
import { Redis } from 'ioredis';
import { AccountClosedError } from '../errors/account-closed.error';
import { AccountFrozenError } from '../errors/account-frozen.error';
import { BankUnavailableError } from '../errors/bank-unavailable.error';
import { InsufficientFundsError } from '../errors/insufficient-funds.error';
import { OperationMismatchError } from '../errors/operation-mismatch.error';
import { OperationVoidedError } from '../errors/operation-voided.error';
import { UnknownAccountError } from '../errors/unknown-account.error';
import { connect, deleteKeys, uniquePrefix } from '../../../../../test/support/redis';
import { BankGateway } from './bank.gateway';
import { DEMO_ACCOUNTS } from './demo-accounts';
import { FAULT_TRIGGERS } from './fault-triggers';

const DEMO_TOTAL = Object.values(DEMO_ACCOUNTS).reduce((sum, balance) => sum + balance, 0);

describe('BankGateway (against a real Redis)', () => {
  const redis = connect();
  let prefix: string;
  let bank: BankGateway;

  const balanceOf = async (id: string) => (await bank.getAccount(id))?.balanceCents;

  beforeEach(async () => {
    prefix = uniquePrefix();
    bank = new BankGateway(redis, prefix);
    await bank.seed();
  });
  afterEach(() => deleteKeys(redis, prefix));
  afterAll(() => redis.quit());

  describe('seed', () => {
    it('opens the demo accounts, sorted by id, with only frozen-1 frozen', async () => {
      expect(await bank.listAccounts()).toEqual(
        Object.entries(DEMO_ACCOUNTS)
          .map(([id, balanceCents]) => ({ id, balanceCents, frozen: id === 'frozen-1' }))
          .sort((a, b) => (a.id < b.id ? -1 : 1)),
      );
      expect(await bank.totalBalance()).toBe(DEMO_TOTAL);
    });

    it('keeps the balance of accounts already present', async () => {
      await bank.debit('acct-alice', 300, 'key-1');
      await bank.seed();
      expect(await balanceOf('acct-alice')).toBe(999_700);
    });
  });

  describe('openAccount', () => {
    it('opens the account with the balance', async () => {
      const account = await bank.openAccount('acct-erin', 5_000);

      expect(account).toEqual({ id: 'acct-erin', balanceCents: 5_000, frozen: false });
      expect(await bank.getAccount('acct-erin')).toEqual(account);
      expect(await bank.totalBalance()).toBe(DEMO_TOTAL + 5_000);
    });

    it('keeps an existing account as it is and answers it', async () => {
      await bank.debit('acct-alice', 300, 'key-1');
      const account = await bank.openAccount('acct-alice', 42);

      expect(account).toEqual({ id: 'acct-alice', balanceCents: 999_700, frozen: false });
    });

    it('refuses a negative or fractional balance', async () => {
      await expect(bank.openAccount('acct-erin', -1)).rejects.toThrow(RangeError);
      await expect(bank.openAccount('acct-erin', 1.5)).rejects.toThrow(RangeError);
      expect(await bank.getAccount('acct-erin')).toBeUndefined();
    });
  });

  describe('getAccount', () => {
    it('answers undefined for an account the bank does not hold', async () => {
      expect(await bank.getAccount('acct-nobody')).toBeUndefined();
    });
  });

  describe('debit', () => {
    it('takes the amount and records the operation, applied once', async () => {
      const entry = await bank.debit('acct-alice', 2_500, 'key-1');

      expect(entry).toEqual({
        idempotencyKey: 'key-1',
        op: 'debit',
        account: 'acct-alice',
        amountCents: 2_500,
        at: expect.any(Number),
        applied: true,
      });
      expect(await bank.getOperation('key-1')).toEqual(entry);
      expect(await bank.applications('key-1')).toBe(1);
      expect(await balanceOf('acct-alice')).toBe(997_500);
    });

    describe('when called again with the same key', () => {
      it('returns the first entry and takes nothing more', async () => {
        const first = await bank.debit('acct-alice', 2_500, 'key-1');

        expect(await bank.debit('acct-alice', 2_500, 'key-1')).toEqual(first);
        expect(await bank.applications('key-1')).toBe(1);
        expect(await balanceOf('acct-alice')).toBe(997_500);
      });
    });

    describe('when 20 calls with one key run at once', () => {
      it('applies exactly one of them, and they all answer the same entry', async () => {
        const entries = await Promise.all(Array.from({ length: 20 }, () => bank.debit('acct-alice', 100, 'key-1')));

        expect(new Set(entries.map((entry) => JSON.stringify(entry))).size).toBe(1);
        expect(await bank.applications('key-1')).toBe(1);
        expect(await balanceOf('acct-alice')).toBe(999_900);
        expect(await bank.keysAppliedMoreThanOnce()).toEqual([]);
      });
    });

    describe('when the amount is beyond the balance', () => {
      it('throws InsufficientFundsError and changes nothing', async () => {
        const before = await bank.listAccounts();
        const debiting = bank.debit('acct-alice', 1_000_001, 'key-1');

        await expect(debiting).rejects.toThrow(InsufficientFundsError);
        await expect(debiting).rejects.toMatchObject({
          code: 'TRANSFER.INSUFFICIENT_FUNDS',
          account: 'acct-alice',
          requestedCents: 1_000_001,
          balanceCents: 1_000_000,
        });
        expect(await bank.listAccounts()).toEqual(before);
        expect(await bank.getOperation('key-1')).toBeUndefined();
        expect(await bank.applications('key-1')).toBe(0);
      });

      it('lets the whole balance go, to zero', async () => {
        await bank.debit('acct-alice', 1_000_000, 'key-1');
        expect(await balanceOf('acct-alice')).toBe(0);
      });
    });

    describe('when the account is unknown', () => {
      it('throws UnknownAccountError, a permanent error, and records nothing', async () => {
        const debiting = bank.debit('acct-nobody', 100, 'key-1');

        await expect(debiting).rejects.toThrow(UnknownAccountError);
        await expect(debiting).rejects.toMatchObject({ code: 'TRANSFER.UNKNOWN_ACCOUNT', account: 'acct-nobody' });
        expect(await bank.getOperation('key-1')).toBeUndefined();
      });
    });

    describe('when the key already records another operation', () => {
      it('throws OperationMismatchError and changes nothing', async () => {
        await bank.debit('acct-alice', 100, 'key-1');

        await expect(bank.debit('acct-alice', 200, 'key-1')).rejects.toThrow(OperationMismatchError);
        await expect(bank.debit('acct-bob', 100, 'key-1')).rejects.toThrow(OperationMismatchError);
        await expect(bank.credit('acct-alice', 100, 'key-1')).rejects.toMatchObject({
          code: 'TRANSFER.OPERATION_MISMATCH',
          recorded: { idempotencyKey: 'key-1', op: 'debit' },
        });
        expect(await balanceOf('acct-alice')).toBe(999_900);
        expect(await balanceOf('acct-bob')).toBe(1_000_000);
      });
    });

    it('refuses an amount that is not a positive integer, before Redis sees it', async () => {
      await expect(bank.debit('acct-alice', 0, 'key-1')).rejects.toThrow(RangeError);
      await expect(bank.debit('acct-alice', -100, 'key-1')).rejects.toThrow(RangeError);
      await expect(bank.debit('acct-alice', 1.5, 'key-1')).rejects.toThrow(RangeError);
      expect(await bank.totalBalance()).toBe(DEMO_TOTAL);
    });
  });

  describe('credit', () => {
    it('adds the amount once per key', async () => {
      const first = await bank.credit('acct-bob', 2_500, 'key-1', 'Dinner');

      expect(first).toMatchObject({ op: 'credit', account: 'acct-bob', amountCents: 2_500, applied: true });
      expect(await bank.credit('acct-bob', 2_500, 'key-1', 'Dinner')).toEqual(first);
      expect(await bank.applications('key-1')).toBe(1);
      expect(await balanceOf('acct-bob')).toBe(1_002_500);
    });

    describe('when the account is closed', () => {
      it('throws AccountClosedError, a permanent error, and changes nothing', async () => {
        const crediting = bank.credit('closed-1', 100, 'key-1');

        await expect(crediting).rejects.toThrow(AccountClosedError);
        await expect(crediting).rejects.toMatchObject({ code: 'TRANSFER.ACCOUNT_CLOSED', account: 'closed-1' });
        expect(await balanceOf('closed-1')).toBe(0);
        expect(await bank.getOperation('key-1')).toBeUndefined();
      });
    });

    describe('when the reference is poison', () => {
      it('throws the transient BankUnavailableError on every attempt, and changes nothing', async () => {
        for (let attempt = 0; attempt < 5; attempt++) {
          const crediting = bank.credit('acct-bob', 100, 'key-1', FAULT_TRIGGERS.poisonReference);
          await expect(crediting).rejects.toThrow(BankUnavailableError);
          await expect(crediting).rejects.toMatchObject({ code: 'TRANSFER.BANK_UNAVAILABLE' });
        }
        expect(await balanceOf('acct-bob')).toBe(1_000_000);
        expect(await bank.getOperation('key-1')).toBeUndefined();
      });
    });

    it('throws UnknownAccountError for an account the bank does not hold', async () => {
      await expect(bank.credit('acct-nobody', 100, 'key-1')).rejects.toThrow(UnknownAccountError);
      expect(await bank.totalBalance()).toBe(DEMO_TOTAL);
    });
  });

  describe('reverseDebit', () => {
    it('gives the debit back once, and records the reverse', async () => {
      await bank.debit('acct-alice', 2_500, 'debit-1');

      const reverse = await bank.reverseDebit('acct-alice', 2_500, 'reverse-1', 'debit-1');
      expect(reverse).toEqual({
        idempotencyKey: 'reverse-1',
        op: 'reverseDebit',
        account: 'acct-alice',
        amountCents: 2_500,
        reverses: 'debit-1',
        at: expect.any(Number),
        applied: true,
      });
      expect(await bank.reverseDebit('acct-alice', 2_500, 'reverse-1', 'debit-1')).toEqual(reverse);
      expect(await bank.applications('reverse-1')).toBe(1);
      expect(await balanceOf('acct-alice')).toBe(1_000_000);
    });

    it('applies one of 20 reverses with one key at once', async () => {
      await bank.debit('acct-alice', 2_500, 'debit-1');

      await Promise.all(
        Array.from({ length: 20 }, () => bank.reverseDebit('acct-alice', 2_500, 'reverse-1', 'debit-1')),
      );
      expect(await bank.applications('reverse-1')).toBe(1);
      expect(await balanceOf('acct-alice')).toBe(1_000_000);
    });

    describe('when the debit was reversed before under another key', () => {
      it('answers the earlier reverse and gives nothing back twice', async () => {
        await bank.debit('acct-alice', 2_500, 'debit-1');
        const first = await bank.reverseDebit('acct-alice', 2_500, 'reverse-1', 'debit-1');

        expect(await bank.reverseDebit('acct-alice', 2_500, 'reverse-2', 'debit-1')).toEqual(first);
        expect(await bank.getOperation('reverse-2')).toBeUndefined();
        expect(await balanceOf('acct-alice')).toBe(1_000_000);
      });
    });

    describe('when the debit was never applied', () => {
      it('moves nothing and records the reverse as not applied', async () => {
        const reverse = await bank.reverseDebit('acct-alice', 2_500, 'reverse-1', 'debit-1');

        expect(reverse).toMatchObject({ op: 'reverseDebit', reverses: 'debit-1', applied: false });
        expect(await bank.getOperation('reverse-1')).toEqual(reverse);
        expect(await bank.applications('reverse-1')).toBe(0);
        expect(await bank.totalBalance()).toBe(DEMO_TOTAL);
      });

      it('keeps a late attempt of the debit from applying afterwards', async () => {
        await bank.reverseDebit('acct-alice', 2_500, 'reverse-1', 'debit-1');
        const debiting = bank.debit('acct-alice', 2_500, 'debit-1');

        await expect(debiting).rejects.toThrow(OperationVoidedError);
        await expect(debiting).rejects.toMatchObject({
          code: 'TRANSFER.OPERATION_VOIDED',
          idempotencyKey: 'debit-1',
          reversedBy: 'reverse-1',
        });
        expect(await balanceOf('acct-alice')).toBe(1_000_000);
      });
    });

    describe('when the operation named is not this debit', () => {
      it('throws OperationMismatchError for a credit, another account or amount, and moves nothing', async () => {
        await bank.credit('acct-alice', 2_500, 'credit-1');
        await bank.debit('acct-alice', 2_500, 'debit-1');

        await expect(bank.reverseDebit('acct-alice', 2_500, 'reverse-1', 'credit-1')).rejects.toMatchObject({
          code: 'TRANSFER.OPERATION_MISMATCH',
          recorded: { idempotencyKey: 'credit-1', op: 'credit' },
        });
        await expect(bank.reverseDebit('acct-bob', 2_500, 'reverse-1', 'debit-1')).rejects.toThrow(
          OperationMismatchError,
        );
        await expect(bank.reverseDebit('acct-alice', 2_000, 'reverse-1', 'debit-1')).rejects.toThrow(
          OperationMismatchError,
        );
        expect(await balanceOf('acct-alice')).toBe(1_000_000);
        expect(await bank.getOperation('reverse-1')).toBeUndefined();
      });
    });

    describe('when the source account is flaky', () => {
      it('throws the transient BankUnavailableError twice, then gives the debit back on the third', async () => {
        await bank.debit('flaky-1', 2_500, 'debit-1');
        const attempt = () => bank.reverseDebit('flaky-1', 2_500, 'reverse-1', 'debit-1');

        await expect(attempt()).rejects.toThrow(BankUnavailableError);
        await expect(attempt()).rejects.toThrow(BankUnavailableError);
        expect(await balanceOf('flaky-1')).toBe(997_500);
        await expect(attempt()).resolves.toMatchObject({ applied: true });
        expect(await balanceOf('flaky-1')).toBe(1_000_000);
      });

      it('counts the attempts of each idempotency key apart', async () => {
        await bank.debit('flaky-1', 2_500, 'debit-1');

        await expect(bank.reverseDebit('flaky-1', 2_500, 'reverse-1', 'debit-1')).rejects.toThrow(BankUnavailableError);
        await expect(bank.reverseDebit('flaky-1', 2_500, 'reverse-2', 'debit-1')).rejects.toThrow(BankUnavailableError);
        await expect(bank.reverseDebit('flaky-1', 2_500, 'reverse-1', 'debit-1')).rejects.toThrow(BankUnavailableError);
      });
    });

    describe('when the source account is frozen', () => {
      it('throws the transient AccountFrozenError on every attempt until the account is unfrozen', async () => {
        await bank.debit('frozen-1', 2_500, 'debit-1');
        const attempt = () => bank.reverseDebit('frozen-1', 2_500, 'reverse-1', 'debit-1');

        for (let i = 0; i < 5; i++) {
          await expect(attempt()).rejects.toThrow(AccountFrozenError);
        }
        await expect(attempt()).rejects.toMatchObject({ code: 'TRANSFER.ACCOUNT_FROZEN', account: 'frozen-1' });
        expect(await balanceOf('frozen-1')).toBe(997_500);

        expect(await bank.unfreeze('frozen-1')).toEqual({ id: 'frozen-1', balanceCents: 997_500, frozen: false });
        await expect(attempt()).resolves.toMatchObject({ applied: true });
        expect(await bank.getAccount('frozen-1')).toEqual({ id: 'frozen-1', balanceCents: 1_000_000, frozen: false });
      });
    });
  });

  describe('reverseCredit', () => {
    it('takes the credit back once', async () => {
      await bank.credit('acct-bob', 2_500, 'credit-1');

      await bank.reverseCredit('acct-bob', 2_500, 'reverse-1', 'credit-1');
      await bank.reverseCredit('acct-bob', 2_500, 'reverse-1', 'credit-1');
      expect(await bank.applications('reverse-1')).toBe(1);
      expect(await balanceOf('acct-bob')).toBe(1_000_000);
    });

    describe('when the account has spent the money since', () => {
      it('throws InsufficientFundsError and changes nothing', async () => {
        await bank.openAccount('acct-erin', 0);
        await bank.credit('acct-erin', 2_500, 'credit-1');
        await bank.debit('acct-erin', 2_000, 'debit-1');

        await expect(bank.reverseCredit('acct-erin', 2_500, 'reverse-1', 'credit-1')).rejects.toMatchObject({
          code: 'TRANSFER.INSUFFICIENT_FUNDS',
          balanceCents: 500,
        });
        expect(await balanceOf('acct-erin')).toBe(500);
        expect(await bank.getOperation('reverse-1')).toBeUndefined();
      });
    });
  });

  describe('the sum of all balances', () => {
    it('is back to where it was once a debit is followed by its credit', async () => {
      await bank.debit('acct-alice', 2_500, 'debit-1');
      expect(await bank.totalBalance()).toBe(DEMO_TOTAL - 2_500);
      await bank.credit('acct-bob', 2_500, 'credit-1');

      expect(await bank.totalBalance()).toBe(DEMO_TOTAL);
      expect(await balanceOf('acct-alice')).toBe(997_500);
      expect(await balanceOf('acct-bob')).toBe(1_002_500);
    });

    it('is back to where it was once a debit is reversed', async () => {
      await bank.debit('acct-alice', 2_500, 'debit-1');
      await bank.reverseDebit('acct-alice', 2_500, 'reverse-1', 'debit-1');

      expect(await bank.totalBalance()).toBe(DEMO_TOTAL);
    });

    it('holds across many transfers between many accounts, every operation applied once', async () => {
      const ids = Array.from({ length: 10 }, (_, i) => `acct-${i}`);
      await Promise.all(ids.map((id) => bank.openAccount(id, 10_000)));
      const total = await bank.totalBalance();
      // Every transfer runs twice at once, as a redelivered step would; every third gives its debit back.
      const transfer = async (n: number) => {
        const [from, to] = [ids[n % ids.length], ids[(n * 3 + 1) % ids.length]];
        await bank.debit(from, 100, `t${n}:debit`);
        if (n % 3 === 0) await bank.reverseDebit(from, 100, `t${n}:reverse`, `t${n}:debit`);
        else await bank.credit(to, 100, `t${n}:credit`);
      };
      await Promise.all(Array.from({ length: 60 }, (_, n) => [transfer(n), transfer(n)]).flat());

      expect(await bank.totalBalance()).toBe(total);
      expect(await bank.keysAppliedMoreThanOnce()).toEqual([]);
      expect(await bank.ledgerEntries()).toHaveLength(120);
    });
  });

  describe('ledgerEntries', () => {
    it('lists every operation, the reverse of a never-applied one as not applied, oldest first', async () => {
      await bank.debit('acct-alice', 100, 'debit-1');
      await bank.credit('acct-bob', 100, 'credit-1');
      await bank.reverseDebit('acct-carol', 100, 'reverse-1', 'debit-never');

      const entries = await bank.ledgerEntries();
      expect(entries.map(({ idempotencyKey, applied }) => [idempotencyKey, applied]).sort()).toEqual([
        ['credit-1', true],
        ['debit-1', true],
        ['reverse-1', false],
      ]);
      expect(entries.map((entry) => entry.at)).toEqual(entries.map((entry) => entry.at).sort((a, b) => a - b));
    });
  });

  describe('unfreeze', () => {
    it('answers undefined for an account the bank does not hold', async () => {
      expect(await bank.unfreeze('frozen-404')).toBeUndefined();
    });
  });

  describe('when Redis cannot be reached', () => {
    it("fails with the engine's StoreUnavailableError, so the API answers 503 and a step retries", async () => {
      // Never connected, and no offline queue: every command fails at once, as on the API's connection.
      const unreachable = new Redis({ lazyConnect: true, enableOfflineQueue: false });
      const offline = new BankGateway(unreachable, prefix);

      await expect(offline.getAccount('acct-alice')).rejects.toThrow(StoreUnavailableError);
      await expect(offline.debit('acct-alice', 100, 'key-1')).rejects.toThrow(StoreUnavailableError);
      unreachable.disconnect();
    });
  });
});
