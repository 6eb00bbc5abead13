import { Module } from '@nestjs/common';
import { TripSagaModule } from '@sagaflow/trip-saga';
import { TripController } from './trip.controller';

/** The read-outs of the trip sample, kept beside the sample's own module so that the API adds them in one line. */
@Module({
  imports: [TripSagaModule],
  controllers: [TripController],
})
export class TripDemoModule {}
