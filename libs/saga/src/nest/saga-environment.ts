import { IsInt, IsString, Matches, Max, Min } from 'class-validator';

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
}
