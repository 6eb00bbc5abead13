import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import {
  LifecycleFeed,
  SagaClient,
  type SagaPage,
  type SagaRecord,
  type SagaStatus,
  type SignalResult,
  type StartResult,
  type StartedSaga,
} from '@sagaflow/core';
import type { FastifyReply } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiErrorResponses } from '@sagaflow/server';
import { TRACEPARENT } from '../http/traceparent-header';
import { checkIdempotencyKey } from '../http/check-idempotency-key';
import { CancelSagaRequest } from './dto/cancel-saga.request';
import { CountSagasQuery } from './dto/count-sagas.query';
import { ListSagasQuery, tagsOf } from './dto/list-sagas.query';
import { ResolveSagaRequest } from './dto/resolve-saga.request';
import { RetrySagaRequest } from './dto/retry-saga.request';
import { StartSagaQuery } from './dto/start-saga.query';
import { SagaCountsResponse } from './dto/saga-counts.response';
import { SagaPageResponse } from './dto/saga-page.response';
import { QueryResultResponse } from './dto/query-result.response';
import { SagaRecordResponse } from './dto/saga-record.response';
import { SignalResultResponse } from './dto/signal-result.response';
import { StartResultResponse, StartedSagaResponse } from './dto/started-saga.response';

/** A comment line this often keeps idle SSE connections open through proxies. */
const HEARTBEAT_MS = 15_000;

const SAGA_ID = { name: 'id', description: "The saga's id, as its start answered it." } as const;

@ApiTags('sagas')
@Controller('sagas')
export class SagasController {
  constructor(
    private readonly sagas: SagaClient,
    private readonly lifecycle: LifecycleFeed,
  ) {}

  /**
   * Starts the saga `name` with the body as its input: 202, since the steps run on the workers. With an
   * `Idempotency-Key` header, a repeat with the same input answers 200 with the saga started first, and one with
   * another input 409.
   */
  @Post(':name')
  @ApiOperation({ summary: 'Start a saga with the body as its input' })
  @ApiParam({
    name: 'name',
    description: 'The name of a registered saga (the samples: checkout, transfer, loyalty, trip).',
    example: 'transfer',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Makes the start idempotent: a repeat with the same input answers 200 with the first saga.',
  })
  @ApiHeader(TRACEPARENT)
  @ApiBody({
    description: "The saga's input, validated by its definition.",
    schema: { type: 'object', additionalProperties: true },
    examples: {
      transfer: {
        value: { transferId: 'tr-1001', fromAccount: 'acct-alice', toAccount: 'acct-bob', amountCents: 1_000 },
      },
      checkout: {
        value: {
          orderId: 'order-1001',
          customerId: 'customer-1',
          items: [{ sku: 'SKU-MUG', quantity: 2, priceCents: 1_250 }],
          payment: { cardNumber: '4242424242424242' },
          shippingAddress: { line1: '1 Rua Augusta', city: 'Lisbon', country: 'PT' },
        },
      },
      loyalty: { value: { orderId: 'order-1001', memberId: 'M-1001', points: 25 } },
    },
  })
  @ApiAcceptedResponse({ type: StartResultResponse, description: 'Started; the workers run its steps.' })
  @ApiOkResponse({
    type: StartResultResponse,
    description: 'The saga an earlier start with this Idempotency-Key made.',
  })
  @ApiErrorResponses(
    [400, "The input does not pass the saga's validation, or the Idempotency-Key is malformed."],
    [404, 'No saga of this name is registered.'],
    [409, 'The Idempotency-Key was used with another input.'],
    503,
  )
  async start(
    @Param('name') name: string,
    @Body() input: unknown,
    @Query() query: StartSagaQuery,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers() traceContext: IncomingHttpHeaders,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<StartResult> {
    checkIdempotencyKey(idempotencyKey);
    const started = await this.sagas.start(name, input, { idempotencyKey, tags: tagsOf(query.tag), traceContext });
    response.status(started.created ? HttpStatus.ACCEPTED : HttpStatus.OK);
    return started;
  }

  @Get()
  @ApiOperation({ summary: 'List sagas, newest first, a page at a time' })
  @ApiOkResponse({ type: SagaPageResponse })
  @ApiErrorResponses(400, 503)
  list(@Query() { tag, ...query }: ListSagasQuery): Promise<SagaPage> {
    return this.sagas.list({ ...query, tags: tagsOf(tag) });
  }

  /** How many sagas are in each status now, of one name or of all. */
  @Get('counts')
  @ApiOperation({ summary: 'How many sagas are in each status now' })
  @ApiOkResponse({ type: SagaCountsResponse })
  @ApiErrorResponses(400, 503)
  counts(@Query() query: CountSagasQuery): Promise<Record<SagaStatus, number>> {
    return this.sagas.counts(query.name);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A saga with its input, steps and history' })
  @ApiParam(SAGA_ID)
  @ApiOkResponse({ type: SagaRecordResponse })
  @ApiErrorResponses([404, 'No saga has this id.'], 503)
  get(@Param('id') id: string): Promise<SagaRecord> {
    return this.sagas.get(id);
  }

  /**
   * The saga's lifecycle events as Server-Sent Events: first `saga` (the record's id, name and status as now),
   * then each lifecycle event since its start (`event:` its type, `id:` its id), live, until it completes or is
   * compensated. Fed by the lifecycle outbox; events it no longer keeps are not replayed (the `saga` event says
   * where the saga stands).
   */
  @Get(':id/events')
  @ApiOperation({ summary: "A saga's lifecycle events, live, as Server-Sent Events" })
  @ApiParam(SAGA_ID)
  @ApiOkResponse({ description: 'text/event-stream', content: { 'text/event-stream': {} } })
  @ApiErrorResponses([404, 'No saga has this id.'], 503)
  async events(@Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    const saga = await this.sagas.get(id);
    reply.hijack();
    const stream = reply.raw;
    stream.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      // Proxies (nginx) must pass events through at once.
      'x-accel-buffering': 'no',
    });
    const send = (event: string, data: unknown, eventId?: string): void => {
      stream.write(`${eventId ? `id: ${eventId}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    send('saga', { id: saga.id, name: saga.name, status: saga.status });
    const heartbeat = setInterval(() => stream.write(': keep-alive\n\n'), HEARTBEAT_MS);
    const from = `${Date.parse(saga.createdAt) - 1}-0`;
    const subscription = this.lifecycle.saga(id, from).subscribe({
      next: (event) => send(event.type, event, event.id),
      error: (error: Error) => {
        send('error', { message: error.message });
        stream.end();
      },
      complete: () => stream.end(),
    });
    stream.on('close', () => {
      clearInterval(heartbeat);
      subscription.unsubscribe();
    });
  }

  /**
   * Starts a new saga with the input and tags of an ended one, linked to it (`rerunOf`): 202. With an
   * `Idempotency-Key` header, a repeat answers 200 with the saga the first rerun started.
   */
  @Post(':id/rerun')
  @ApiOperation({ summary: 'Start a new saga with the input and tags of an ended one' })
  @ApiParam(SAGA_ID)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Makes the rerun idempotent: a repeat answers 200 with the saga the first one started.',
  })
  @ApiHeader(TRACEPARENT)
  @ApiAcceptedResponse({ type: StartResultResponse, description: 'Started; the workers run its steps.' })
  @ApiOkResponse({ type: StartResultResponse, description: 'The saga an earlier rerun with this key started.' })
  @ApiErrorResponses(
    [400, 'The Idempotency-Key is malformed.'],
    [404, 'No saga has this id.'],
    [409, 'The saga has not ended (completed, compensated or compensation_failed).'],
    503,
  )
  async rerun(
    @Param('id') id: string,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers() traceContext: IncomingHttpHeaders,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<StartResult> {
    checkIdempotencyKey(idempotencyKey);
    const started = await this.sagas.rerun(id, { idempotencyKey, traceContext });
    response.status(started.created ? HttpStatus.ACCEPTED : HttpStatus.OK);
    return started;
  }

  /**
   * Sends the signal `name` to a saga, with the body as its payload: 202, kept with the saga for its steps, and
   * ending its wait if it waits for this signal. With an `Idempotency-Key` header, a repeat changes nothing and
   * answers the first result.
   */
  @Post(':id/signals/:name')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Send a signal, with the body as its payload, to a saga' })
  @ApiParam(SAGA_ID)
  @ApiParam({ name: 'name', description: "A signal the saga's definition declares.", example: 'approval' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Makes the signal idempotent: a repeat with the same payload answers the first result.',
  })
  @ApiBody({
    description: "The signal's payload, validated by the saga's definition.",
    schema: { type: 'object', additionalProperties: true },
    examples: { approval: { value: { approver: 'ann', approved: true } } },
  })
  @ApiAcceptedResponse({ type: SignalResultResponse })
  @ApiErrorResponses(
    [400, 'The definition declares no such signal (`name`), or the payload or the Idempotency-Key is invalid.'],
    [404, 'No saga has this id.'],
    [409, 'The saga is compensating or has ended, or the Idempotency-Key sent another signal or payload.'],
    503,
  )
  signal(
    @Param('id') id: string,
    @Param('name') name: string,
    @Body() payload: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<SignalResult> {
    checkIdempotencyKey(idempotencyKey);
    return this.sagas.signal(id, name, payload, { idempotencyKey });
  }

  /** Answers the query `name` of a saga: its definition's function of the saga as it stands. */
  @Get(':id/queries/:name')
  @ApiOperation({ summary: "Answer a query of a saga: its definition's function of the saga as it stands" })
  @ApiParam(SAGA_ID)
  @ApiParam({ name: 'name', description: "A query the saga's definition declares.", example: 'progress' })
  @ApiOkResponse({ type: QueryResultResponse })
  @ApiErrorResponses([400, 'The definition declares no such query (`name`).'], [404, 'No saga has this id.'], 503)
  async query(@Param('id') id: string, @Param('name') name: string): Promise<QueryResultResponse> {
    return { result: await this.sagas.query(id, name) };
  }

  /** Retries the failed compensation of a `compensation_failed` saga: 202, the workers carry it on; else 409. */
  @Post(':id/retry')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Retry the failed compensation of a compensation_failed saga' })
  @ApiParam(SAGA_ID)
  @ApiAcceptedResponse({ type: StartedSagaResponse })
  @ApiErrorResponses(400, [404, 'No saga has this id.'], [409, 'The saga is not compensation_failed.'], 503)
  retry(@Param('id') id: string, @Body() request: RetrySagaRequest): Promise<StartedSaga> {
    return this.sagas.retry(id, request.note);
  }

  /**
   * Cancels a running or waiting saga: 202, its succeeded steps are compensated (a step in flight finishes
   * first). 409 for a finished saga, or one past a step without compensation (the answer names it).
   */
  @Post(':id/cancel')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Cancel a running or waiting saga: its succeeded steps are compensated' })
  @ApiParam(SAGA_ID)
  @ApiAcceptedResponse({ type: StartedSagaResponse })
  @ApiErrorResponses(
    400,
    [404, 'No saga has this id.'],
    [409, 'The saga has finished, or is past a step without compensation (named in `step`).'],
    503,
  )
  cancel(@Param('id') id: string, @Body() request: CancelSagaRequest): Promise<StartedSaga> {
    return this.sagas.cancel(id, request.reason);
  }

  /** Marks a `compensation_failed` saga as handled by hand: it ends `compensated`; else 409. */
  @Post(':id/resolve')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Mark a compensation_failed saga as handled by hand: it ends compensated' })
  @ApiParam(SAGA_ID)
  @ApiOkResponse({ type: StartedSagaResponse })
  @ApiErrorResponses(400, [404, 'No saga has this id.'], [409, 'The saga is not compensation_failed.'], 503)
  resolve(@Param('id') id: string, @Body() request: ResolveSagaRequest): Promise<StartedSaga> {
    return this.sagas.resolve(id, request.note);
  }
}
