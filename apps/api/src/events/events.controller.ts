import { Body, Controller, Headers, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SagaClient, type PublishResult } from '@sagaflow/core';
import { ApiErrorResponses } from '@sagaflow/server';
import { TRACEPARENT } from '../http/traceparent-header';
import type { IncomingHttpHeaders } from 'node:http';
import { PublishEventRequest } from './dto/publish-event.request';
import { PublishResultResponse } from './dto/publish-result.response';

@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(private readonly sagas: SagaClient) {}

  /**
   * Publishes an event: starts the sagas it triggers and resumes those waiting for its type and key. 202, with
   * what it did; publishing the same event id again answers the first result and does nothing more.
   */
  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Publish an event: start the sagas it triggers and resume those waiting for it' })
  @ApiHeader(TRACEPARENT)
  @ApiAcceptedResponse({ type: PublishResultResponse })
  @ApiErrorResponses([400, 'The event is malformed; `errors` names the fields.'], 503)
  publish(@Body() event: PublishEventRequest, @Headers() traceContext: IncomingHttpHeaders): Promise<PublishResult> {
    return this.sagas.publish(event, { traceContext });
  }
}
