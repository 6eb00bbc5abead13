import { Module } from '@nestjs/common';
import { HealthModule } from './health/health.module';

/** What operators use: health probes, Prometheus metrics and Bull Board. The OpenAPI document is set up in main.ts. */
@Module({
  imports: [HealthModule],
})
export class OpsModule {}
