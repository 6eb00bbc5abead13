import { PermanentError } from '@sagaflow/core';
import { LoyaltyErrorCode } from './loyalty-error-codes';

/**
 * Thrown by `LoyaltyGateway.award` when the award's idempotency key was revoked before any award under it applied:
 * a late attempt of a step already compensated. Nothing was credited, and retrying cannot change that.
 * @publicApi
 */
export class AwardVoidedError extends PermanentError {
  override readonly code = LoyaltyErrorCode.AwardVoided;

  constructor(readonly idempotencyKey: string) {
    super(`The award "${idempotencyKey}" was revoked before it applied; nothing was credited.`);
  }
}
