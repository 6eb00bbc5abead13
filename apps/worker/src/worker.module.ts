import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { CheckoutSagaModule, checkoutSaga } from '@sagaflow/checkout-saga';
import { SagaEnvironment, SagaModule, SagaWorkerModule, validateEnvironment } from '@sagaflow/nest';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, validate: validateEnvironment(SagaEnvironment) }),
    SagaModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<SagaEnvironment, true>) => ({
        redisUrl: config.get('REDIS_URL'),
        prefix: config.get('SAGAFLOW_PREFIX'),
      }),
    }),
    SagaWorkerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<SagaEnvironment, true>) => ({ concurrency: config.get('WORKER_CONCURRENCY') }),
    }),
    CheckoutSagaModule,
    SagaModule.forFeature([checkoutSaga]),
  ],
})
export class WorkerModule {}
