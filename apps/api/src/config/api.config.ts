import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, Max, Min } from 'class-validator';
import { SagaEnvironment } from '@sagaflow/nest';

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
}
