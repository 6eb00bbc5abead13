import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Registry } from 'prom-client';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly registry: Registry) {}

  /** Prometheus' text format: the process metrics, and the engine's read from Redis for the whole deployment. */
  @Get()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Metrics for Prometheus: process metrics, and the sagaflow_* series of the whole deployment',
  })
  @ApiProduces(Registry.PROMETHEUS_CONTENT_TYPE)
  @ApiOkResponse({ schema: { type: 'string', example: 'sagaflow_sagas_started_total{saga="transfer"} 42' } })
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
