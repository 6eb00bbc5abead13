import { Module } from '@nestjs/common';
import { ConditionalModule, ConfigModule, ConfigService } from '@nestjs/config';
import { CheckoutSagaModule, checkoutSaga } from '@sagaflow/checkout-saga';
import { LoyaltySagaModule, loyaltySaga } from '@sagaflow/loyalty-saga';
import { TransferSagaModule, transferSaga } from '@sagaflow/transfer-saga';
import { TripSagaModule, tripSaga } from '@sagaflow/trip-saga';
import {
  SagaModule,
  SagaWorkerModule,
  loggerParams,
  sagaOptionsFrom,
  validateEnvironment,
  workerOptionsFrom,
} from '@sagaflow/nest';
import { LoggerModule } from 'nestjs-pino';
import { ApiConfig } from './config/api.config';
import { BankController } from './demo/bank.controller';
import { DemoController } from './demo/demo.controller';
import { LoyaltyController } from './demo/loyalty.controller';
import { TripDemoModule } from './demo/trip-demo.module';
import { EventsController } from './events/events.controller';
import { ExplorerModule } from './explorer/explorer.module';
import { OpsModule } from './ops/ops.module';
import { SagasController } from './sagas/sagas.controller';
import { SecurityModule } from './security/security.module';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, validate: validateEnvironment(ApiConfig) }),
    LoggerModule.forRootAsync({ inject: [ConfigService], useFactory: loggerParams }),
    SagaModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<ApiConfig, true>) => ({ ...sagaOptionsFrom(config), failFast: true }),
    }),
    CheckoutSagaModule,
    TransferSagaModule,
    LoyaltySagaModule,
    TripSagaModule,
    TripDemoModule,
    SagaModule.forFeature([checkoutSaga, transferSaga, loyaltySaga, tripSaga]),
    OpsModule,
    SecurityModule,
    ExplorerModule,
    ConditionalModule.registerWhen(
      SagaWorkerModule.forRootAsync({
        inject: [ConfigService],
        useFactory: workerOptionsFrom,
      }),
      (env) => env.SAGAFLOW_EMBEDDED_WORKER === 'true' || env.SAGAFLOW_EMBEDDED_WORKER === '1',
    ),
  ],
  controllers: [SagasController, EventsController, DemoController, BankController, LoyaltyController],
})
export class ApiModule {}
