import { Module, type DynamicModule } from '@nestjs/common';
import { SagaModule, SagaWorkerModule } from '@sagaflow/nestjs';
import { LedgerService } from './ledger.service';
import { CreditStep, DebitStep, transferSaga } from './transfer.saga';

/** The app: the engine's shared module, the saga registered with its steps, and the step workers in-process. */
@Module({})
export class AppModule {
  static register(options: { redisUrl: string; prefix: string }): DynamicModule {
    return {
      module: AppModule,
      imports: [
        SagaModule.forRoot(options),
        SagaModule.forFeature([transferSaga]),
        SagaWorkerModule.forRoot({ concurrency: 5 }),
      ],
      providers: [LedgerService, DebitStep, CreditStep],
    };
  }
}
