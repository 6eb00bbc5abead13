import { Module } from '@nestjs/common';
import { BankController } from './demo/bank.controller';
import { DemoController } from './demo/demo.controller';
import { LoyaltyController } from './demo/loyalty.controller';
import { PayoutController } from './demo/payout.controller';
import { TripController } from './demo/trip.controller';
import { SamplesModule } from './samples.module';

/** The samples with their HTTP read-outs under `/demo` (stock, payments, shipments, bank, loyalty, trips, payouts): what the stock API serves. */
@Module({
  imports: [SamplesModule],
  controllers: [DemoController, BankController, LoyaltyController, TripController, PayoutController],
})
export class SamplesDemoModule {}
