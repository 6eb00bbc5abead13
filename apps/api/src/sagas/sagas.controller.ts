import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  IDEMPOTENCY_KEY_PATTERN,
  SagaClient,
  type SagaPage,
  type SagaRecord,
  type SagaStatus,
  type StartResult,
  type StartedSaga,
} from '@sagaflow/core';
import type { FastifyReply } from 'fastify';
import type { ErrorBody } from '../http/error-body';
import { CancelSagaRequest } from './dto/cancel-saga.request';
import { CountSagasQuery } from './dto/count-sagas.query';
import { ListSagasQuery } from './dto/list-sagas.query';
import { ResolveSagaRequest } from './dto/resolve-saga.request';
import { RetrySagaRequest } from './dto/retry-saga.request';

@Controller('sagas')
export class SagasController {
  constructor(private readonly sagas: SagaClient) {}

  /**
   * Starts the saga `name` with the body as its input: 202, since the steps run on the workers. With an
   * `Idempotency-Key` header, a repeat with the same input answers 200 with the saga started first, and one with
   * another input 409.
   */
  @Post(':name')
  async start(
    @Param('name') name: string,
    @Body() input: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<StartResult> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
      const messages = [`Idempotency-Key must be 1 to 200 of A-Z a-z 0-9 _ . : @ + / -`];
      throw new BadRequestException({
        statusCode: HttpStatus.BAD_REQUEST,
        code: 'REQUEST.INVALID',
        message: 'Invalid request: Idempotency-Key.',
        errors: [{ field: 'Idempotency-Key', messages }],
      } satisfies ErrorBody);
    }
    const started = await this.sagas.start(name, input, { idempotencyKey });
    response.status(started.created ? HttpStatus.ACCEPTED : HttpStatus.OK);
    return started;
  }

  @Get()
  list(@Query() query: ListSagasQuery): Promise<SagaPage> {
    return this.sagas.list(query);
  }

  /** How many sagas are in each status now, of one name or of all. */
  @Get('counts')
  counts(@Query() query: CountSagasQuery): Promise<Record<SagaStatus, number>> {
    return this.sagas.counts(query.name);
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<SagaRecord> {
    return this.sagas.get(id);
  }

  /** Retries the failed compensation of a `compensation_failed` saga: 202, the workers carry it on; else 409. */
  @Post(':id/retry')
  @HttpCode(HttpStatus.ACCEPTED)
  retry(@Param('id') id: string, @Body() request: RetrySagaRequest): Promise<StartedSaga> {
    return this.sagas.retry(id, request.note);
  }

  /**
   * Cancels a running or waiting saga: 202, its succeeded steps are compensated (a step in flight finishes
   * first). 409 for a finished saga, or one past a step without compensation (the answer names it).
   */
  @Post(':id/cancel')
  @HttpCode(HttpStatus.ACCEPTED)
  cancel(@Param('id') id: string, @Body() request: CancelSagaRequest): Promise<StartedSaga> {
    return this.sagas.cancel(id, request.reason);
  }

  /** Marks a `compensation_failed` saga as handled by hand: it ends `compensated`; else 409. */
  @Post(':id/resolve')
  @HttpCode(HttpStatus.OK)
  resolve(@Param('id') id: string, @Body() request: ResolveSagaRequest): Promise<StartedSaga> {
    return this.sagas.resolve(id, request.note);
  }
}
