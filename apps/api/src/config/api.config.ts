// Types are spelled out: class-transformer converts the environment strings by the declared type.
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/** The API's environment, validated at boot. */
export class ApiConfig {
  @IsInt()
  @Min(0)
  @Max(65_535)
  PORT: number = 3000;

  /** `redis://[user:password@]host:port[/db]`, or `rediss://` for TLS. */
  @IsString()
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must start with redis:// or rediss://' })
  REDIS_URL: string = 'redis://127.0.0.1:6379';

  @IsOptional()
  @Matches(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, { message: 'SAGAFLOW_PREFIX must be letters, digits, _ or -' })
  SAGAFLOW_PREFIX: string = 'sagaflow';

  /** Also run the step workers in the API process: the quick start's single process. */
  @Transform(({ value }) => value === true || value === 'true' || value === '1')
  @IsBoolean()
  SAGAFLOW_EMBEDDED_WORKER: boolean = false;

  @IsInt()
  @Min(1)
  @Max(1_000)
  WORKER_CONCURRENCY: number = 10;
}
