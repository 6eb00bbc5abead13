/**
 * Stable codes of the loyalty errors. A step's error is persisted with its code, and the code, not the class, is
 * what an operator or an HTTP client can still match on.
 * @publicApi
 */
export const LoyaltyErrorCode = {
  AwardVoided: 'LOYALTY.AWARD_VOIDED',
} as const;

export type LoyaltyErrorCode = (typeof LoyaltyErrorCode)[keyof typeof LoyaltyErrorCode];
