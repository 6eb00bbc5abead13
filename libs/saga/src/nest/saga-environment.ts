import type { ConfigService } from '@nestjs/config';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import type { SagaModuleOptions } from './saga-module-options.interface';
import type { SagaWorkerModuleOptions } from './saga-worker.module';

/**
 * The environment every sagaflow process reads; apps extend it with their own variables and check it with
 * {@link validateEnvironment}. Types are spelled out: class-transformer converts the strings by declared type.
 * @publicApi
 */
export class SagaEnvironment {
  /** `redis://[user:password@]host:port[/db]`, or `rediss://` for TLS. */
  @IsString()
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must start with redis:// or rediss://' })
  REDIS_URL: string = 'redis://127.0.0.1:6379';

  /** Prefix of every key, queues included. */
  @Matches(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, { message: 'SAGAFLOW_PREFIX must be letters, digits, _ or -' })
  SAGAFLOW_PREFIX: string = 'sagaflow';

  /** Step jobs run at once by a worker process, per saga. */
  @IsInt()
  @Min(1)
  @Max(1_000)
  WORKER_CONCURRENCY: number = 10;

  /** How long a worker's claim on a step lasts; a dead worker's steps are redelivered within about twice it. */
  @IsInt()
  @Min(1_000)
  SAGAFLOW_LOCK_DURATION_MS: number = 30_000;

  /** How often a worker looks for sagas that no job moves (see SagaSweeper). */
  @IsInt()
  @Min(100)
  SAGAFLOW_SWEEP_INTERVAL_MS: number = 15_000;

  /** How long a saga may go without a transition before the sweeper checks its job. */
  @IsInt()
  @Min(100)
  SAGAFLOW_STUCK_AFTER_MS: number = 30_000;

  /** How long an `Idempotency-Key` of a start is kept. */
  @IsInt()
  @Min(1_000)
  SAGAFLOW_IDEMPOTENCY_TTL_MS: number = 86_400_000;

  /** How long a published event is kept for sagas that reach their wait later, and against a repeated publish. */
  @IsInt()
  @Min(1_000)
  SAGAFLOW_EVENT_RETENTION_MS: number = 86_400_000;

  /** Crash tests only: the worker kills itself at this `saga/step/phase/moment` (see `@sagaflow/testing`). */
  @IsOptional()
  @Matches(/^[^/]+\/[^/]+\/(run|compensate)\/(begun|ran|recorded)$/, {
    message: 'SAGAFLOW_CRASH_AT must be saga/step/(run|compensate)/(begun|ran|recorded)',
  })
  SAGAFLOW_CRASH_AT?: string;
}

/** The options of `SagaModule.forRoot` that a validated environment describes. @publicApi */
export function sagaOptionsFrom(config: ConfigService<SagaEnvironment, true>): SagaModuleOptions {
  return {
    redisUrl: config.get('REDIS_URL'),
    prefix: config.get('SAGAFLOW_PREFIX'),
    idempotencyTtlMs: config.get('SAGAFLOW_IDEMPOTENCY_TTL_MS'),
    eventRetentionMs: config.get('SAGAFLOW_EVENT_RETENTION_MS'),
  };
}

/** The options of `SagaWorkerModule.forRoot` that a validated environment describes. @publicApi */
export function workerOptionsFrom(config: ConfigService<SagaEnvironment, true>): SagaWorkerModuleOptions {
  return {
    concurrency: config.get('WORKER_CONCURRENCY'),
    lockDurationMs: config.get('SAGAFLOW_LOCK_DURATION_MS'),
    crashAt: config.get('SAGAFLOW_CRASH_AT', { infer: true }),
    sweeper: {
      intervalMs: config.get('SAGAFLOW_SWEEP_INTERVAL_MS'),
      stuckAfterMs: config.get('SAGAFLOW_STUCK_AFTER_MS'),
    },
  };
}
