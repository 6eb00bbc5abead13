import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { createHash } from 'node:crypto';

/**
 * Rate limits per API key: the limit counts the requests of each key (a digest of it, so the key itself is
 * never kept), or of each address when a request carries none.
 */
@Injectable()
export class KeyThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const headers = request.headers as Record<string, string | undefined>;
    const authorization = headers.authorization;
    if (authorization) return `key:${createHash('sha256').update(authorization).digest('hex')}`;
    return `ip:${String(request.ip)}`;
  }
}
