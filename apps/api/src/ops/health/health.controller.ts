import { Controller, Get, HttpStatus, ServiceUnavailableException } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import type { ErrorBody } from '@sagaflow/server';
import { HealthCheckResponse, IndicatorStatus } from './health-check.response.dto';
import { HEALTH_NOT_READY, HealthUnavailableResponse } from './health-unavailable.response.dto';
import { RedisHealthIndicator } from './redis.health-indicator';

/**
 * Probes for an orchestrator: liveness says the process runs (restart it if not), readiness that it can serve
 * sagas, i.e. that Redis answers (send it no traffic if not). Liveness never looks at Redis, so that a Redis
 * outage does not restart every API process.
 */
@ApiTags('operations')
@ApiExtraModels(IndicatorStatus)
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly redis: RedisHealthIndicator,
  ) {}

  @Get()
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ summary: 'Readiness (the same as /health/ready)' })
  @ApiOkResponse({ type: HealthCheckResponse })
  @ApiServiceUnavailableResponse({ type: HealthUnavailableResponse, description: 'Redis does not answer.' })
  check(): Promise<HealthCheckResult> {
    return this.readiness();
  }

  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ summary: 'Readiness: a PING to Redis through the engine connection is answered within 1 s' })
  @ApiOkResponse({ type: HealthCheckResponse })
  @ApiServiceUnavailableResponse({ type: HealthUnavailableResponse, description: 'Redis does not answer.' })
  ready(): Promise<HealthCheckResult> {
    return this.readiness();
  }

  @Get('live')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ summary: 'Liveness: the process runs and answers' })
  @ApiOkResponse({ type: HealthCheckResponse })
  live(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.indicators.check('process').up({ pid: process.pid, uptimeSeconds: Math.round(process.uptime()) }),
    ]);
  }

  private async readiness(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.redis.ping('redis')]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      // Terminus answers its own shape; the API's error body is added so that clients handle it like any 503.
      const result = error.getResponse() as HealthCheckResult;
      const down = Object.entries(result.error ?? {}).map(([name, indicator]) =>
        typeof indicator?.message === 'string' ? `${name} is down (${indicator.message})` : `${name} is down`,
      );
      const body: ErrorBody & HealthCheckResult = {
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        code: HEALTH_NOT_READY,
        message: `Not ready: ${down.join(', ') || 'a check failed'}.`,
        ...result,
      };
      throw new ServiceUnavailableException(body);
    }
  }
}
