import { Module } from '@nestjs/common';
import { WorkerMetrics } from './worker-metrics';

@Module({ providers: [WorkerMetrics], exports: [WorkerMetrics] })
export class WorkerMetricsModule {}
