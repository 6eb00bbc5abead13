import { ApiProperty } from '@nestjs/swagger';
import { HealthIndicators } from './health-check.response.dto';

/** The `code` of a failed readiness check. */
export const HEALTH_NOT_READY = 'HEALTH.NOT_READY';

/**
 * `GET /health` and `/health/ready` when the API cannot serve: the API's error body (`statusCode`, `code`,
 * `message`) and Terminus' fields, so that error handlers and probes both read it.
 */
export class HealthUnavailableResponse extends HealthIndicators {
  @ApiProperty({ example: 503 })
  statusCode!: number;

  @ApiProperty({ example: HEALTH_NOT_READY })
  code!: string;

  @ApiProperty({ example: 'Not ready: redis is down (Connection is closed.).' })
  message!: string;

  @ApiProperty({ enum: ['error'] })
  status!: 'error';
}
