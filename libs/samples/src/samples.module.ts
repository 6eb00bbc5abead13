import { Module } from '@nestjs/common';
import { SagaModule } from '@sagaflow/nestjs';
import { CheckoutSagaModule, checkoutSaga } from './checkout';
import { ExpenseSagaModule, expenseSaga } from './expense';
import { LoyaltySagaModule, loyaltySaga } from './loyalty';
import { PayoutSagaModule, payoutSaga } from './payout';
import { TransferSagaModule, transferSaga } from './transfer';
import { TripSagaModule, tripSaga } from './trip';

const SAMPLE_MODULES = [
  CheckoutSagaModule,
  TransferSagaModule,
  LoyaltySagaModule,
  TripSagaModule,
  ExpenseSagaModule,
  PayoutSagaModule,
];

/**
 * The six sample sagas, registered with the engine, with their steps and demo gateways: what the stock worker
 * runs. Needs `SagaModule.forRoot` (or `forRootAsync`) in the application.
 */
@Module({
  imports: [
    ...SAMPLE_MODULES,
    SagaModule.forFeature([checkoutSaga, transferSaga, loyaltySaga, tripSaga, expenseSaga, payoutSaga]),
  ],
  exports: SAMPLE_MODULES,
})
export class SamplesModule {}
