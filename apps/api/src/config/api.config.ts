import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { SagaEnvironment } from '@sagaflow/server';

/** The API's environment, validated at boot. */
export class ApiConfig extends SagaEnvironment {
  @IsInt()
  @Min(0)
  @Max(65_535)
  PORT: number = 3000;

  /** Also run the step workers in the API process: the quick start's single process. */
  @Transform(({ value }) => value === true || value === 'true' || value === '1')
  @IsBoolean()
  SAGAFLOW_EMBEDDED_WORKER: boolean = false;

  /** Comma-separated API keys, sent as `Authorization: Bearer <key>`. Unset: the API is open (not in production). */
  @IsOptional()
  @IsString()
  SAGAFLOW_API_KEYS?: string;

  /** Largest request body; a larger one is answered 413. */
  @IsInt()
  @Min(1_024)
  @Max(16 * 1_048_576)
  SAGAFLOW_BODY_LIMIT_BYTES: number = 262_144;

  /** Requests per minute per API key (per address without keys); 0 turns the limit off. */
  @IsInt()
  @Min(0)
  SAGAFLOW_RATE_LIMIT_PER_MINUTE: number = 60_000;

  /** Comma-separated origins allowed to call the API from a browser (CORS); unset: none. */
  @IsOptional()
  @IsString()
  SAGAFLOW_CORS_ORIGINS?: string;
}
