import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { CheckoutSagaModule, checkoutSaga } from '@sagaflow/checkout-saga';
import { LoyaltySagaModule, loyaltySaga } from '@sagaflow/loyalty-saga';
import { TransferSagaModule, transferSaga } from '@sagaflow/transfer-saga';
import { TripSagaModule, tripSaga } from '@sagaflow/trip-saga';
import {
  SagaEnvironment,
  SagaModule,
  SagaWorkerModule,
  loggerParams,
  sagaOptionsFrom,
  validateEnvironment,
  workerOptionsFrom,
} from '@sagaflow/nest';
import { LoggerModule } from 'nestjs-pino';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, validate: validateEnvironment(SagaEnvironment) }),
    LoggerModule.forRootAsync({ inject: [ConfigService], useFactory: loggerParams }),
    SagaModule.forRootAsync({
      inject: [ConfigService],
      useFactory: sagaOptionsFrom,
    }),
    SagaWorkerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: workerOptionsFrom,
    }),
    CheckoutSagaModule,
    TransferSagaModule,
    LoyaltySagaModule,
    TripSagaModule,
    SagaModule.forFeature([checkoutSaga, transferSaga, loyaltySaga, tripSaga]),
  ],
})
export class WorkerModule {}
