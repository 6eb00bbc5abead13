import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { SagaEnvironment } from '@sagaflow/server';

/** The worker's environment, validated at boot. */
export class WorkerConfig extends SagaEnvironment {
  /** Serve the worker's metrics for Prometheus at `GET /metrics` on this port (0: any free one); unset: none. */
  @IsOptional()
  @IsInt({ message: 'SAGAFLOW_WORKER_METRICS_PORT must be a port number (0 to 65535)' })
  @Min(0, { message: 'SAGAFLOW_WORKER_METRICS_PORT must be a port number (0 to 65535)' })
  @Max(65_535, { message: 'SAGAFLOW_WORKER_METRICS_PORT must be a port number (0 to 65535)' })
  SAGAFLOW_WORKER_METRICS_PORT?: number;
}
