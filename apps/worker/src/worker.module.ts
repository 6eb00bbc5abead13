import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { CheckoutSagaModule, checkoutSaga } from '@sagaflow/checkout-saga';
import { SagaModule, SagaWorkerModule, validateEnvironment } from '@sagaflow/nest';
import { WorkerConfig } from './config/worker.config';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, validate: validateEnvironment(WorkerConfig) }),
    SagaModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<WorkerConfig, true>) => ({
        redisUrl: config.get('REDIS_URL'),
        prefix: config.get('SAGAFLOW_PREFIX'),
      }),
    }),
    SagaWorkerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<WorkerConfig, true>) => ({ concurrency: config.get('WORKER_CONCURRENCY') }),
    }),
    CheckoutSagaModule,
    SagaModule.forFeature([checkoutSaga]),
  ],
})
export class WorkerModule {}
