// Types are spelled out: class-transformer converts the environment strings by the declared type.
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/** The worker's environment, validated at boot. */
export class WorkerConfig {
  /** `redis://[user:password@]host:port[/db]`, or `rediss://` for TLS. */
  @IsString()
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must start with redis:// or rediss://' })
  REDIS_URL: string = 'redis://127.0.0.1:6379';

  @IsOptional()
  @Matches(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, { message: 'SAGAFLOW_PREFIX must be letters, digits, _ or -' })
  SAGAFLOW_PREFIX: string = 'sagaflow';

  /** Step jobs run at once by this process, per saga. */
  @IsInt()
  @Min(1)
  @Max(1_000)
  WORKER_CONCURRENCY: number = 10;
}
