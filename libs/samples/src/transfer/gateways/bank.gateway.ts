import { setTimeout as delay } from 'node:timers/promises';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { LuaScripts, execAll, guardRedis } from '@sagaflow/core';
import { AccountClosedError } from '../errors/account-closed.error';
import { AccountFrozenError } from '../errors/account-frozen.error';
import { BankUnavailableError } from '../errors/bank-unavailable.error';
import { InsufficientFundsError } from '../errors/insufficient-funds.error';
import { OperationMismatchError } from '../errors/operation-mismatch.error';
import { OperationVoidedError } from '../errors/operation-voided.error';
import { UnknownAccountError } from '../errors/unknown-account.error';
import { BankKeys } from './bank-keys';
import type { Account, LedgerEntry } from './bank.types';
import { DEMO_ACCOUNTS } from './demo-accounts';
import { FAULT_TRIGGERS, SLOW_OPERATION_MS } from './fault-triggers';
import { LUA_DIR } from '../../lua-dir';

const SCRIPTS = ['apply-operation-4.lua', 'reverse-operation-4.lua'] as const;

/** Failed attempts of a `reverseDebit` from a {@link FAULT_TRIGGERS.flakyAccountPrefix} account before it succeeds. */
const FLAKY_FAILURES = 2;
/** Attempt counters only matter while a compensation is retried; an hour covers any retry policy of the demo. */
const ATTEMPTS_TTL_SECONDS = 3_600;

/** Replies of the scripts, as their headers document them. */
type EntryReply = [code: 0 | 1, idempotencyKey: string, entry: string];
type ApplyReply = EntryReply | [code: -1] | [code: -2, balance: string] | [code: -3, reverseKey: string];
type ReverseReply = EntryReply | [code: -2, balance: string] | [code: -4, operationKey: string, entry: string];

/**
 * A fake but stateful bank in Redis: a balance per account, and a ledger of every operation under its
 * idempotency key. Each operation is one Lua script that applies it at most once per key, so that a retried or
 * redelivered step never moves money twice, and the sum of all balances changes only while a transfer is
 * half-done (or when an account is opened). The ids and references in {@link FAULT_TRIGGERS} make it misbehave.
 *
 * A plain class, free of Nest: `TransferSagaModule` builds it on the engine's connection and key prefix, and
 * its state lives under `<prefix>:demo:{bank}:`.
 * @publicApi
 */
export class BankGateway {
  private readonly keys: BankKeys;
  private readonly scripts: LuaScripts<(typeof SCRIPTS)[number]>;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = new BankKeys(prefix);
    this.scripts = new LuaScripts(redis, join(LUA_DIR, 'transfer'), SCRIPTS, 'bankDemo');
  }

  /** Opens the {@link DEMO_ACCOUNTS} that are not there yet; accounts already present keep their balance. */
  async seed(): Promise<void> {
    const transaction = this.redis.multi();
    for (const [id, balanceCents] of Object.entries(DEMO_ACCOUNTS)) {
      transaction.hsetnx(this.keys.accounts(), id, balanceCents);
    }
    await execAll(transaction);
  }

  /**
   * Opens an account with the balance, unless it exists: then it keeps its balance, and is returned as it is.
   * @throws RangeError when the balance is not a non-negative integer
   */
  async openAccount(id: string, balanceCents: number): Promise<Account> {
    assertCents('balanceCents', balanceCents, 0);
    const [, balance, unfrozen] = await execAll(
      this.redis
        .multi()
        .hsetnx(this.keys.accounts(), id, balanceCents)
        .hget(this.keys.accounts(), id)
        .sismember(this.keys.unfrozen(), id),
    );
    return toAccount(id, balance as string, unfrozen === 1);
  }

  /** The account, or `undefined` when the bank holds none of that id. */
  async getAccount(id: string): Promise<Account | undefined> {
    const [balance, unfrozen] = await execAll(
      this.redis.multi().hget(this.keys.accounts(), id).sismember(this.keys.unfrozen(), id),
    );
    if (balance === null) return undefined;
    return toAccount(id, balance as string, unfrozen === 1);
  }

  /** Every account, sorted by id; read in one transaction, so the balances agree. */
  async listAccounts(): Promise<Account[]> {
    const [balances, unfrozen] = (await execAll(
      this.redis.multi().hgetall(this.keys.accounts()).smembers(this.keys.unfrozen()),
    )) as [Record<string, string>, string[]];
    const thawed = new Set(unfrozen);
    return Object.keys(balances)
      .sort()
      .map((id) => toAccount(id, balances[id], thawed.has(id)));
  }

  /** The sum of all balances, read at one instant: constant while no transfer is half-done and no account opens. */
  async totalBalance(): Promise<number> {
    const balances = await guardRedis(() => this.redis.hvals(this.keys.accounts()));
    return balances.reduce((sum, balance) => sum + Number(balance), 0);
  }

  /**
   * Takes the amount from the account, once per idempotency key: a repeated call returns the entry recorded the
   * first time and moves nothing.
   * @throws UnknownAccountError, InsufficientFundsError (permanent; nothing changed); OperationMismatchError
   * when the key records another operation; OperationVoidedError when the key was reversed before it applied
   */
  debit(account: string, amountCents: number, idempotencyKey: string): Promise<LedgerEntry> {
    return this.apply('debit', account, amountCents, idempotencyKey);
  }

  /**
   * Adds the amount to the account, once per idempotency key, like {@link BankGateway.debit}.
   * @param reference - the transfer's reference, as a bank would show it; see {@link FAULT_TRIGGERS.poisonReference}
   * @throws AccountClosedError (permanent) for a {@link FAULT_TRIGGERS.closedAccountPrefix} account;
   * BankUnavailableError (transient) for the poison reference; otherwise as {@link BankGateway.debit}
   */
  async credit(account: string, amountCents: number, idempotencyKey: string, reference?: string): Promise<LedgerEntry> {
    if (account.startsWith(FAULT_TRIGGERS.closedAccountPrefix)) throw new AccountClosedError(account);
    if (reference === FAULT_TRIGGERS.poisonReference) {
      throw new BankUnavailableError(account, `reference "${reference}" is never accepted`);
    }
    if (reference === FAULT_TRIGGERS.slowReference) await delay(SLOW_OPERATION_MS);
    return this.apply('credit', account, amountCents, idempotencyKey);
  }

  /**
   * Gives back the amount of the debit `operationId`, once per idempotency key and once per debit. When that
   * debit was never applied (a crash before it), nothing moves: the reverse is recorded with `applied: false`,
   * and the debit can no longer apply afterwards.
   * @param operationId - the idempotency key of the debit to reverse
   * @returns the reverse's entry; for a debit reversed before under another key, that reverse's entry
   * @throws AccountFrozenError (transient) for a {@link FAULT_TRIGGERS.frozenAccountPrefix} account until it is
   * unfrozen; BankUnavailableError (transient) on the first attempts for a
   * {@link FAULT_TRIGGERS.flakyAccountPrefix} account; OperationMismatchError when `operationId` is not a debit of
   * this amount from this account, or the key records another operation
   */
  async reverseDebit(
    account: string,
    amountCents: number,
    idempotencyKey: string,
    operationId: string,
  ): Promise<LedgerEntry> {
    if (account.startsWith(FAULT_TRIGGERS.frozenAccountPrefix) && !(await this.isUnfrozen(account))) {
      throw new AccountFrozenError(account);
    }
    if (account.startsWith(FAULT_TRIGGERS.flakyAccountPrefix)) {
      const attempt = await this.countReverseAttempt(idempotencyKey);
      if (attempt <= FLAKY_FAILURES) throw new BankUnavailableError(account, `attempt ${attempt} failed`);
    }
    if (account.startsWith(FAULT_TRIGGERS.slowAccountPrefix)) await delay(SLOW_OPERATION_MS);
    return this.reverse('reverseDebit', account, amountCents, idempotencyKey, operationId);
  }

  /**
   * Takes back the amount of the credit `operationId`, like {@link BankGateway.reverseDebit}.
   * @throws InsufficientFundsError (permanent) when the account has spent the money since; OperationMismatchError
   * as {@link BankGateway.reverseDebit}
   */
  reverseCredit(
    account: string,
    amountCents: number,
    idempotencyKey: string,
    operationId: string,
  ): Promise<LedgerEntry> {
    return this.reverse('reverseCredit', account, amountCents, idempotencyKey, operationId);
  }

  /**
   * Lets `reverseDebit` from a {@link FAULT_TRIGGERS.frozenAccountPrefix} account through from now on, for good.
   * @returns the account, or `undefined` when the bank holds none of that id
   */
  async unfreeze(id: string): Promise<Account | undefined> {
    const account = await this.getAccount(id);
    if (!account) return undefined;
    await guardRedis(() => this.redis.sadd(this.keys.unfrozen(), id));
    return { ...account, frozen: false };
  }

  /** The operation recorded under the key, or `undefined` when there is none. */
  async getOperation(idempotencyKey: string): Promise<LedgerEntry | undefined> {
    const entry = await guardRedis(() => this.redis.hget(this.keys.ledger(), idempotencyKey));
    return entry === null ? undefined : toEntry(idempotencyKey, entry);
  }

  /** How many times the operation under the key moved money: 0 or 1, unless the bank is broken. */
  async applications(idempotencyKey: string): Promise<number> {
    return Number((await guardRedis(() => this.redis.hget(this.keys.applications(), idempotencyKey))) ?? 0);
  }

  /** Every ledger entry, oldest first (to the millisecond; entries of the same millisecond by key). */
  async ledgerEntries(): Promise<LedgerEntry[]> {
    const entries = await guardRedis(() => this.redis.hgetall(this.keys.ledger()));
    return Object.entries(entries)
      .map(([idempotencyKey, entry]) => toEntry(idempotencyKey, entry))
      .sort((a, b) => a.at - b.at || (a.idempotencyKey < b.idempotencyKey ? -1 : 1));
  }

  /** The keys whose operation moved money more than once, sorted; empty unless the bank is broken. */
  async keysAppliedMoreThanOnce(): Promise<string[]> {
    const counts = await guardRedis(() => this.redis.hgetall(this.keys.applications()));
    return Object.keys(counts)
      .filter((key) => Number(counts[key]) > 1)
      .sort();
  }

  private async apply(
    op: 'debit' | 'credit',
    account: string,
    amountCents: number,
    idempotencyKey: string,
  ): Promise<LedgerEntry> {
    assertCents('amountCents', amountCents, 1);
    const reply = await this.scripts.run<ApplyReply>('apply-operation-4.lua', this.scriptKeys(), [
      idempotencyKey,
      op,
      account,
      amountCents,
    ]);
    switch (reply[0]) {
      case -1:
        throw new UnknownAccountError(account);
      case -2:
        throw new InsufficientFundsError(account, amountCents, Number(reply[1]));
      case -3:
        throw new OperationVoidedError(idempotencyKey, reply[1]);
      default:
        return expectOperation(toEntry(reply[1], reply[2]), { op, account, amountCents });
    }
  }

  private async reverse(
    op: 'reverseDebit' | 'reverseCredit',
    account: string,
    amountCents: number,
    idempotencyKey: string,
    operationId: string,
  ): Promise<LedgerEntry> {
    assertCents('amountCents', amountCents, 1);
    const reverses = op === 'reverseDebit' ? 'debit' : 'credit';
    const reply = await this.scripts.run<ReverseReply>('reverse-operation-4.lua', this.scriptKeys(), [
      idempotencyKey,
      op,
      account,
      amountCents,
      operationId,
      reverses,
    ]);
    switch (reply[0]) {
      case -2:
        throw new InsufficientFundsError(account, amountCents, Number(reply[1]));
      case -4:
        throw new OperationMismatchError(
          describeOperation({ op: reverses, account, amountCents }),
          toEntry(reply[1], reply[2]),
        );
      default:
        return expectOperation(toEntry(reply[1], reply[2]), { op, account, amountCents, reverses: operationId });
    }
  }

  private scriptKeys(): string[] {
    return [this.keys.accounts(), this.keys.ledger(), this.keys.applications(), this.keys.reversals()];
  }

  private async isUnfrozen(account: string): Promise<boolean> {
    return (await guardRedis(() => this.redis.sismember(this.keys.unfrozen(), account))) === 1;
  }

  private async countReverseAttempt(idempotencyKey: string): Promise<number> {
    const key = this.keys.reverseAttempts(idempotencyKey);
    const [attempt] = await execAll(this.redis.multi().incr(key).expire(key, ATTEMPTS_TTL_SECONDS));
    return attempt as number;
  }
}

type Requested = Pick<LedgerEntry, 'op' | 'account' | 'amountCents' | 'reverses'>;

/** The recorded entry, when it is the operation asked for; a key stands for one operation only. */
function expectOperation(entry: LedgerEntry, requested: Requested): LedgerEntry {
  const same =
    entry.op === requested.op &&
    entry.account === requested.account &&
    entry.amountCents === requested.amountCents &&
    entry.reverses === requested.reverses;
  if (!same) throw new OperationMismatchError(describeOperation(requested), entry);
  return entry;
}

function describeOperation({ op, account, amountCents, reverses }: Requested): string {
  return `a ${op} of ${amountCents} cents on "${account}"${reverses === undefined ? '' : ` reversing "${reverses}"`}`;
}

function toEntry(idempotencyKey: string, json: string): LedgerEntry {
  return { idempotencyKey, ...(JSON.parse(json) as Omit<LedgerEntry, 'idempotencyKey'>) };
}

function toAccount(id: string, balance: string, unfrozen: boolean): Account {
  return {
    id,
    balanceCents: Number(balance),
    frozen: id.startsWith(FAULT_TRIGGERS.frozenAccountPrefix) && !unfrozen,
  };
}

/** The scripts do integer arithmetic in Redis; a negative amount would turn a debit into a credit. */
function assertCents(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer of at least ${min}, got ${value}.`);
  }
}
