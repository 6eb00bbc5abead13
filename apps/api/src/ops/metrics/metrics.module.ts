import { Module } from '@nestjs/common';
import { processMetricsRegistry } from '@sagaflow/server';
import { Registry } from 'prom-client';
import { registerEngineMetrics } from './engine-metrics';
import { EngineReadings } from './engine-readings';
import { MetricsController } from './metrics.controller';

/** `GET /metrics`: the process metrics, and the engine's. */
@Module({
  controllers: [MetricsController],
  providers: [
    EngineReadings,
    {
      provide: Registry,
      useFactory: (readings: EngineReadings) => {
        const registry = processMetricsRegistry();
        registerEngineMetrics(registry, readings);
        return registry;
      },
      inject: [EngineReadings],
    },
  ],
})
export class MetricsModule {}
