import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { SagaClient, type PublishResult } from '@sagaflow/core';
import { PublishEventRequest } from './dto/publish-event.request';

@Controller('events')
export class EventsController {
  constructor(private readonly sagas: SagaClient) {}

  /**
   * Publishes an event: starts the sagas it triggers and resumes those waiting for its type and key. 202, with
   * what it did; publishing the same event id again answers the first result and does nothing more.
   */
  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  publish(@Body() event: PublishEventRequest): Promise<PublishResult> {
    return this.sagas.publish(event);
  }
}
