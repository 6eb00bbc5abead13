import { Module } from '@nestjs/common';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { QueuesBoardModule } from './queues-board/queues-board.module';

/** What operators use: health probes, Prometheus metrics and Bull Board. The OpenAPI document is set up in main.ts. */
@Module({
  imports: [HealthModule, MetricsModule, QueuesBoardModule],
})
export class OpsModule {}
