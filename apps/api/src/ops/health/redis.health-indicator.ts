import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { SAGA_REDIS } from '@sagaflow/nestjs';
import type { Redis } from 'ioredis';

/** How long a PING may take before Redis counts as down: a probe must answer before its own timeout. */
const PING_TIMEOUT_MS = 1_000;

/** Whether the engine's own Redis connection (`SAGA_REDIS`) answers, which every saga operation of the API needs. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(SAGA_REDIS) private readonly redis: Redis,
  ) {}

  /** Up when a PING through the connection is answered in time; down with the reason otherwise. */
  ping(key: string) {
    return this.indicators
      .check(key)
      .attempt(async () => {
        await this.redis.ping();
      })
      .withTimeout(PING_TIMEOUT_MS);
  }
}
