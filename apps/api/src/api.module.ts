import { Module } from '@nestjs/common';
import { ConditionalModule, ConfigModule, ConfigService } from '@nestjs/config';
import { SagaModule, SagaWorkerModule } from '@sagaflow/nestjs';
import { SamplesDemoModule } from '@sagaflow/samples';
import { TracingModule, loggerParams, sagaOptionsFrom, validateEnvironment, workerOptionsFrom } from '@sagaflow/server';
import { LoggerModule } from 'nestjs-pino';
import { ApiConfig } from './config/api.config';
import { EventsController } from './events/events.controller';
import { ExplorerModule } from './explorer/explorer.module';
import { OpsModule } from './ops/ops.module';
import { BulkOperationsController } from './sagas/bulk-operations.controller';
import { SagasController } from './sagas/sagas.controller';
import { SchedulesController } from './schedules/schedules.controller';
import { SecurityModule } from './security/security.module';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, validate: validateEnvironment(ApiConfig) }),
    LoggerModule.forRootAsync({ inject: [ConfigService], useFactory: loggerParams }),
    SagaModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<ApiConfig, true>) => ({ ...sagaOptionsFrom(config), failFast: true }),
    }),
    SamplesDemoModule,
    OpsModule,
    SecurityModule,
    ExplorerModule,
    TracingModule,
    ConditionalModule.registerWhen(
      SagaWorkerModule.forRootAsync({
        inject: [ConfigService],
        useFactory: workerOptionsFrom,
      }),
      (env) => env.SAGAFLOW_EMBEDDED_WORKER === 'true' || env.SAGAFLOW_EMBEDDED_WORKER === '1',
    ),
  ],
  controllers: [BulkOperationsController, SagasController, EventsController, SchedulesController],
})
export class ApiModule {}
