/**
 * A message sent to a member. Plain data: it is the output of the `notifyMember` step.
 * @publicApi
 */
export interface MemberNotification {
  readonly notificationId: string;
  readonly orderId: string;
  readonly message: string;
  /** When it was sent, ISO 8601. */
  readonly sentAt: string;
}

/**
 * Points credited to a member for an order. Plain data: it is the output of the `awardPoints` step.
 * @publicApi
 */
export interface PointsAward {
  /** The idempotency key the award was made under; its revocation names it. */
  readonly awardId: string;
  readonly memberId: string;
  readonly orderId: string;
  readonly points: number;
}

/** What {@link LoyaltyGateway.revoke} did. @publicApi */
export type RevokeOutcome =
  /** The award's points were taken back now. */
  | 'revoked'
  /** Revoked, or voided, before: nothing changed. */
  | 'already-revoked'
  /** Nothing was awarded under the key; it is voided, so a late award under it credits nothing. */
  | 'voided';

/**
 * A member as the programme knows them.
 * @publicApi
 */
export interface LoyaltyMember {
  readonly memberId: string;
  readonly points: number;
  /** Oldest first. */
  readonly notifications: MemberNotification[];
}
