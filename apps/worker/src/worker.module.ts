import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { SagaModule, SagaWorkerModule } from '@sagaflow/nestjs';
import { SamplesModule } from '@sagaflow/samples';
import { TracingModule, loggerParams, sagaOptionsFrom, validateEnvironment, workerOptionsFrom } from '@sagaflow/server';
import { LoggerModule } from 'nestjs-pino';
import { WorkerConfig } from './config/worker.config';
import { WorkerMetrics } from './metrics/worker-metrics';
import { WorkerMetricsModule } from './metrics/worker-metrics.module';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, validate: validateEnvironment(WorkerConfig) }),
    LoggerModule.forRootAsync({ inject: [ConfigService], useFactory: loggerParams }),
    SagaModule.forRootAsync({ inject: [ConfigService], useFactory: sagaOptionsFrom }),
    SagaWorkerModule.forRootAsync({
      imports: [WorkerMetricsModule],
      inject: [ConfigService, WorkerMetrics],
      useFactory: (config: ConfigService<WorkerConfig, true>, metrics: WorkerMetrics) => ({
        ...workerOptionsFrom(config),
        observers: metrics.observers,
      }),
    }),
    SamplesModule,
    TracingModule,
  ],
})
export class WorkerModule {}
