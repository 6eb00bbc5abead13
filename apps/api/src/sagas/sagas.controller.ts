import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { SagaClient, type SagaPage, type SagaRecord, type StartedSaga } from '@sagaflow/core';
import { ListSagasQuery } from './dto/list-sagas.query';
import { ResolveSagaRequest } from './dto/resolve-saga.request';
import { RetrySagaRequest } from './dto/retry-saga.request';

@Controller('sagas')
export class SagasController {
  constructor(private readonly sagas: SagaClient) {}

  /** Starts the saga `name` with the body as its input: 202, since the steps run on the workers. */
  @Post(':name')
  @HttpCode(HttpStatus.ACCEPTED)
  start(@Param('name') name: string, @Body() input: unknown): Promise<StartedSaga> {
    return this.sagas.start(name, input);
  }

  @Get()
  list(@Query() query: ListSagasQuery): Promise<SagaPage> {
    return this.sagas.list(query);
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

  /** Marks a `compensation_failed` saga as handled by hand: it ends `compensated`; else 409. */
  @Post(':id/resolve')
  @HttpCode(HttpStatus.OK)
  resolve(@Param('id') id: string, @Body() request: ResolveSagaRequest): Promise<StartedSaga> {
    return this.sagas.resolve(id, request.note);
  }
}
