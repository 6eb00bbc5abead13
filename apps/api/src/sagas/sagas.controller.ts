import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { SagaClient, type SagaPage, type SagaRecord, type StartedSaga } from '@sagaflow/core';
import { ListSagasQuery } from './dto/list-sagas.query';

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
}
