import { ApiProperty, getSchemaPath } from '@nestjs/swagger';

/** One indicator of a health check, as Terminus reports it. */
export class IndicatorStatus {
  @ApiProperty({ enum: ['up', 'down'], example: 'up' })
  status!: 'up' | 'down';

  @ApiProperty({ description: 'How long the check took, in ms.', required: false, example: 1 })
  responseTime?: number;

  @ApiProperty({ description: 'Why the indicator is down.', required: false, example: 'Connection is closed.' })
  message?: string;
}

const BY_INDICATOR = { type: 'object', additionalProperties: { $ref: getSchemaPath(IndicatorStatus) } } as const;

/** The indicators of a check, by name (`redis`, `process`), in Terminus' three views. */
export class HealthIndicators {
  @ApiProperty({ ...BY_INDICATOR, description: 'The indicators that are up.' })
  info!: Record<string, IndicatorStatus>;

  @ApiProperty({ ...BY_INDICATOR, description: 'The indicators that are down.' })
  error!: Record<string, IndicatorStatus>;

  @ApiProperty({ ...BY_INDICATOR, description: 'Every indicator.' })
  details!: Record<string, IndicatorStatus>;
}

/** `GET /health`, `/health/live` and `/health/ready` when healthy: Terminus' answer. */
export class HealthCheckResponse extends HealthIndicators {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';
}
