import { Module } from '@nestjs/common';
import { ReimburseStep } from './steps/reimburse.step';

/**
 * Provides the expense saga's step. It does not register the saga: the application does that with the engine's
 * module. Nothing to seed, and no gateway: the step's output is the sample's effect.
 * @publicApi
 */
@Module({
  providers: [ReimburseStep],
  exports: [ReimburseStep],
})
export class ExpenseSagaModule {}
