import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { SagaModule, SagaWorkerModule } from '@sagaflow/nestjs';
import { SamplesModule } from '@sagaflow/samples';
import {
  SagaEnvironment,
  loggerParams,
  sagaOptionsFrom,
  validateEnvironment,
  workerOptionsFrom,
} from '@sagaflow/server';
import { LoggerModule } from 'nestjs-pino';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, validate: validateEnvironment(SagaEnvironment) }),
    LoggerModule.forRootAsync({ inject: [ConfigService], useFactory: loggerParams }),
    SagaModule.forRootAsync({ inject: [ConfigService], useFactory: sagaOptionsFrom }),
    SagaWorkerModule.forRootAsync({ inject: [ConfigService], useFactory: workerOptionsFrom }),
    SamplesModule,
  ],
})
export class WorkerModule {}
