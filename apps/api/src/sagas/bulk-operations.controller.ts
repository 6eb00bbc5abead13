import { Body, Controller, Get, Headers, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { BulkOperations, type BulkOperation } from '@sagaflow/core';
import { ApiErrorResponses } from '@sagaflow/server';
import type { FastifyReply } from 'fastify';
import { checkIdempotencyKey } from '../http/check-idempotency-key';
import { BulkOperationRequest } from './dto/bulk-operation.request';
import {
  BulkOperationListResponse,
  BulkOperationResponse,
  StartedBulkOperationResponse,
} from './dto/bulk-operation.response';
import { ListBulkOperationsQuery } from './dto/list-bulk-operations.query';

/**
 * Cancel, retry or resolve every saga a filter matches. The static `bulk` segment outranks `/sagas/:name` and
 * `/sagas/:id` in the router, so no saga id or name is taken for it.
 */
@ApiTags('sagas')
@Controller('sagas/bulk')
export class BulkOperationsController {
  constructor(private readonly bulk: BulkOperations) {}

  /**
   * Records the operation and answers 202 at once; this API process then works it off, a batch of 100 sagas at a
   * time, updating its counts. With an `Idempotency-Key`, a repeat answers 200 with the operation it started.
   */
  @Post()
  @ApiOperation({ summary: 'Cancel, retry or resolve every saga a filter matches, in the background' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A repeat of the same request with this key answers 200 with the first operation.',
  })
  @ApiAcceptedResponse({ type: StartedBulkOperationResponse, description: 'Recorded; it runs in the background.' })
  @ApiOkResponse({ type: StartedBulkOperationResponse, description: 'The operation this Idempotency-Key started.' })
  @ApiErrorResponses(
    [400, 'An empty filter, an unknown operation or status, a bad date, a resolve without note (named in `errors`).'],
    [409, 'The Idempotency-Key was used with another request.'],
    503,
  )
  async start(
    @Body() request: BulkOperationRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<BulkOperation & { created: boolean }> {
    checkIdempotencyKey(idempotencyKey);
    const started = await this.bulk.start(request, idempotencyKey);
    response.status(started.created ? HttpStatus.ACCEPTED : HttpStatus.OK);
    return started;
  }

  @Get()
  @ApiOperation({ summary: 'The recent bulk operations, newest first (kept 7 days)' })
  @ApiOkResponse({ type: BulkOperationListResponse })
  @ApiErrorResponses(400, 503)
  async list(@Query() query: ListBulkOperationsQuery): Promise<{ items: BulkOperation[] }> {
    return { items: await this.bulk.list(query.limit) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A bulk operation and its progress' })
  @ApiParam({ name: 'id', description: 'The id `POST /sagas/bulk` answered.' })
  @ApiOkResponse({ type: BulkOperationResponse })
  @ApiErrorResponses([404, 'No bulk operation has this id (or it is older than 7 days).'], 503)
  get(@Param('id') id: string): Promise<BulkOperation> {
    return this.bulk.get(id);
  }
}
