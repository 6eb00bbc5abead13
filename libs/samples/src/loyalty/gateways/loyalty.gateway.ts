import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LuaScripts, execAll } from '@sagaflow/core';
import { AwardVoidedError } from '../errors/award-voided.error';
import { LoyaltyKeys } from './loyalty-keys';
import type { LoyaltyMember, MemberNotification, PointsAward, RevokeOutcome } from './loyalty.types';
import { LUA_DIR } from '../../lua-dir';

const SCRIPTS = ['record-notification-3.lua', 'award-points-2.lua', 'revoke-points-2.lua'] as const;

/** Replies of the scripts, as their headers document them. */
type RecordReply = [code: 0 | 1, json: string];
type AwardReply = [code: 0 | 1, award: string] | [code: -1];
type RevokeReply = [code: 1 | 0 | -1];

const REVOKE_OUTCOMES: Readonly<Record<RevokeReply[0], RevokeOutcome>> = {
  1: 'revoked',
  0: 'already-revoked',
  [-1]: 'voided',
};

/**
 * A fake but stateful loyalty programme in Redis: a points balance and a message box per member. Sending a message
 * and crediting points are each one Lua script, applied at most once per idempotency key, so that a retried or
 * redelivered step neither messages a member twice nor credits twice.
 *
 * A plain class, free of Nest: `LoyaltySagaModule` builds it on the engine's connection and key prefix, and its
 * state lives under `<prefix>:demo:{loyalty}:`.
 * @publicApi
 */
export class LoyaltyGateway {
  private readonly keys: LoyaltyKeys;
  private readonly scripts: LuaScripts<(typeof SCRIPTS)[number]>;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = new LoyaltyKeys(prefix);
    this.scripts = new LuaScripts(redis, join(LUA_DIR, 'loyalty'), SCRIPTS, 'loyaltyDemo');
  }

  /**
   * Sends the member a message about an order, once per idempotency key: a repeated call returns the message sent
   * the first time. The member becomes known to the programme.
   */
  async notify(
    memberId: string,
    orderId: string,
    message: string,
    idempotencyKey: string,
  ): Promise<MemberNotification> {
    const notification: MemberNotification = {
      notificationId: `ntf_${randomUUID()}`,
      orderId,
      message,
      sentAt: new Date().toISOString(),
    };
    const [, sent] = await this.scripts.run<RecordReply>(
      'record-notification-3.lua',
      [this.keys.sent(), this.keys.notifications(memberId), this.keys.members()],
      [idempotencyKey, memberId, JSON.stringify(notification)],
    );
    return JSON.parse(sent) as MemberNotification;
  }

  /**
   * Credits points to the member for an order, once per idempotency key: a repeated call returns the award made
   * the first time and credits nothing more.
   * @throws AwardVoidedError (permanent) when the key was revoked before any award under it
   * @throws RangeError when points is not a positive integer
   */
  async award(memberId: string, orderId: string, points: number, idempotencyKey: string): Promise<PointsAward> {
    if (!Number.isSafeInteger(points) || points < 1) {
      throw new RangeError(`points must be a positive integer, got ${points}.`);
    }
    const reply = await this.scripts.run<AwardReply>(
      'award-points-2.lua',
      [this.keys.awards(), this.keys.members()],
      [idempotencyKey, memberId, orderId, points],
    );
    if (reply[0] === -1) throw new AwardVoidedError(idempotencyKey);
    const award = JSON.parse(reply[1]) as Omit<PointsAward, 'awardId'>;
    return { awardId: idempotencyKey, memberId: award.memberId, orderId: award.orderId, points: award.points };
  }

  /**
   * Takes back the points awarded under an idempotency key, at most once. A key under which nothing was awarded is
   * voided instead, so that a late attempt of that award credits nothing.
   * @param awardId - the idempotency key the award was (or would have been) made under
   */
  async revoke(awardId: string): Promise<RevokeOutcome> {
    const [code] = await this.scripts.run<RevokeReply>(
      'revoke-points-2.lua',
      [this.keys.awards(), this.keys.members()],
      [awardId],
    );
    return REVOKE_OUTCOMES[code];
  }

  /** The member's balance and messages, or `undefined` when the programme has never heard of them. */
  async getMember(memberId: string): Promise<LoyaltyMember | undefined> {
    const [points, notifications] = (await execAll(
      this.redis.multi().hget(this.keys.members(), memberId).lrange(this.keys.notifications(memberId), 0, -1),
    )) as [string | null, string[]];
    if (points === null) return undefined;
    return {
      memberId,
      points: Number(points),
      notifications: notifications.map((notification) => JSON.parse(notification) as MemberNotification),
    };
  }
}
