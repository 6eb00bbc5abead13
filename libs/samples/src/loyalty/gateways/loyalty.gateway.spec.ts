import { StoreUnavailableError } from '@sagaflow/core';
import { Redis } from 'ioredis';
import { AwardVoidedError } from '../errors/award-voided.error';
import { connect, deleteKeys, uniquePrefix } from '../../../../../test/support/redis';
import { LoyaltyGateway } from './loyalty.gateway';

describe('LoyaltyGateway (against a real Redis)', () => {
  const redis = connect();
  let prefix: string;
  let loyalty: LoyaltyGateway;

  beforeEach(() => {
    prefix = uniquePrefix();
    loyalty = new LoyaltyGateway(redis, prefix);
  });
  afterEach(() => deleteKeys(redis, prefix));
  afterAll(() => redis.quit());

  describe('notify', () => {
    it('sends the message and makes the member known, with no points yet', async () => {
      const sent = await loyalty.notify('M-1001', 'order-1', 'Thanks!', 'saga-1:notifyMember:run');

      expect(sent).toEqual({
        notificationId: expect.stringMatching(/^ntf_/),
        orderId: 'order-1',
        message: 'Thanks!',
        sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      expect(await loyalty.getMember('M-1001')).toEqual({ memberId: 'M-1001', points: 0, notifications: [sent] });
    });

    describe('when called again with the same idempotency key', () => {
      it('returns the message sent the first time and sends nothing more', async () => {
        const first = await loyalty.notify('M-1001', 'order-1', 'Thanks!', 'key-1');
        const again = await loyalty.notify('M-1001', 'order-1', 'Thanks!', 'key-1');

        expect(again).toEqual(first);
        expect((await loyalty.getMember('M-1001'))?.notifications).toEqual([first]);
      });
    });

    it('keeps the messages of different keys, oldest first', async () => {
      const first = await loyalty.notify('M-1001', 'order-1', 'One', 'key-1');
      const second = await loyalty.notify('M-1001', 'order-2', 'Two', 'key-2');

      expect((await loyalty.getMember('M-1001'))?.notifications).toEqual([first, second]);
    });
  });

  describe('award', () => {
    it('credits the points to the member', async () => {
      const award = await loyalty.award('M-1001', 'order-1', 30, 'saga-1:awardPoints:run');

      expect(award).toEqual({ awardId: 'saga-1:awardPoints:run', memberId: 'M-1001', orderId: 'order-1', points: 30 });
      expect(await loyalty.getMember('M-1001')).toMatchObject({ points: 30 });
    });

    describe('when called again with the same idempotency key', () => {
      it('returns the first award and credits nothing more', async () => {
        const first = await loyalty.award('M-1001', 'order-1', 30, 'key-1');
        const again = await loyalty.award('M-1001', 'order-1', 30, 'key-1');

        expect(again).toEqual(first);
        expect(await loyalty.getMember('M-1001')).toMatchObject({ points: 30 });
      });
    });

    it('adds up awards made under different keys', async () => {
      await loyalty.award('M-1001', 'order-1', 30, 'key-1');
      await loyalty.award('M-1001', 'order-2', 20, 'key-2');

      expect(await loyalty.getMember('M-1001')).toMatchObject({ points: 50 });
    });

    it('throws RangeError for points that are not a positive integer, and credits nothing', async () => {
      await expect(loyalty.award('M-1001', 'order-1', 0, 'key-1')).rejects.toThrow(RangeError);
      await expect(loyalty.award('M-1001', 'order-1', 2.5, 'key-1')).rejects.toThrow(RangeError);
      expect(await loyalty.getMember('M-1001')).toBeUndefined();
    });
  });

  describe('revoke', () => {
    it('takes the points back, once', async () => {
      await loyalty.award('M-1001', 'order-1', 30, 'key-1');
      await loyalty.award('M-1001', 'order-2', 20, 'key-2');

      expect(await loyalty.revoke('key-1')).toBe('revoked');
      expect(await loyalty.revoke('key-1')).toBe('already-revoked');
      expect(await loyalty.getMember('M-1001')).toMatchObject({ points: 20 });
    });

    it('keeps a revoked award from crediting again under its key', async () => {
      const award = await loyalty.award('M-1001', 'order-1', 30, 'key-1');
      await loyalty.revoke('key-1');

      expect(await loyalty.award('M-1001', 'order-1', 30, 'key-1')).toEqual(award);
      expect(await loyalty.getMember('M-1001')).toMatchObject({ points: 0 });
    });

    describe('when nothing was awarded under the key', () => {
      it('voids the key: a late award under it throws AwardVoidedError, a permanent error, and credits nothing', async () => {
        await loyalty.notify('M-1001', 'order-1', 'Thanks!', 'key-0');

        expect(await loyalty.revoke('key-1')).toBe('voided');
        expect(await loyalty.revoke('key-1')).toBe('already-revoked');
        const late = loyalty.award('M-1001', 'order-1', 30, 'key-1');
        await expect(late).rejects.toThrow(AwardVoidedError);
        await expect(late).rejects.toMatchObject({ code: 'LOYALTY.AWARD_VOIDED', idempotencyKey: 'key-1' });
        expect(await loyalty.getMember('M-1001')).toMatchObject({ points: 0 });
      });
    });
  });

  describe('getMember', () => {
    it('answers undefined for a member never seen', async () => {
      expect(await loyalty.getMember('M-999')).toBeUndefined();
    });
  });

  describe('when Redis cannot be reached', () => {
    it("fails with the engine's StoreUnavailableError, so the API answers 503 and a step retries", async () => {
      const unreachable = new Redis({ lazyConnect: true, enableOfflineQueue: false });
      const offline = new LoyaltyGateway(unreachable, prefix);

      await expect(offline.getMember('M-1001')).rejects.toThrow(StoreUnavailableError);
      await expect(offline.award('M-1001', 'order-1', 30, 'key-1')).rejects.toThrow(StoreUnavailableError);
      unreachable.disconnect();
    });
  });
});
