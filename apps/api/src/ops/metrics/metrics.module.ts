import { Module } from '@nestjs/common';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { registerEngineMetrics } from './engine-metrics';
import { EngineReadings } from './engine-readings';
import { MetricsController } from './metrics.controller';

/**
 * `GET /metrics`. A registry of its own rather than prom-client's global one, so that nothing else registered
 * in the process shows up by accident.
 */
@Module({
  controllers: [MetricsController],
  providers: [
    EngineReadings,
    {
      provide: Registry,
      useFactory: (readings: EngineReadings) => {
        const registry = new Registry();
        collectDefaultMetrics({ register: registry });
        registerEngineMetrics(registry, readings);
        return registry;
      },
      inject: [EngineReadings],
    },
  ],
})
export class MetricsModule {}
