import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { SagaSchedules, type Schedule } from '@sagaflow/core';
import { ApiErrorResponses } from '@sagaflow/server';
import { UpsertScheduleRequest } from './dto/upsert-schedule.request';

const SCHEDULE_ID = { name: 'id', description: 'The schedule id, chosen by its owner.', example: 'nightly-report' };

/**
 * Sagas started on a schedule: every so often, or at the times of a cron pattern (BullMQ job schedulers). The
 * workers start them; a run missed while none ran starts once when one returns.
 */
@ApiTags('schedules')
@Controller('schedules')
export class SchedulesController {
  constructor(private readonly schedules: SagaSchedules) {}

  /** Creates the schedule (201) or replaces it (200); a paused one stays paused. */
  @Put(':id')
  @ApiOperation({ summary: 'Create or replace a schedule' })
  @ApiParam(SCHEDULE_ID)
  @ApiErrorResponses(
    [400, 'The settings are invalid (errors names the fields), or the input fails the saga validation.'],
    [404, 'No saga of this name is registered.'],
    503,
  )
  async upsert(
    @Param('id') id: string,
    @Body() request: UpsertScheduleRequest,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<Schedule> {
    const { schedule, created } = await this.schedules.upsert(id, request);
    response.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return schedule;
  }

  @Get()
  @ApiOperation({ summary: 'List the schedules, by id' })
  @ApiErrorResponses(503)
  list(): Promise<Schedule[]> {
    return this.schedules.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a schedule, with its next run' })
  @ApiParam(SCHEDULE_ID)
  @ApiErrorResponses([404, 'No schedule has this id.'], 503)
  get(@Param('id') id: string): Promise<Schedule> {
    return this.schedules.get(id);
  }

  @Post(':id/pause')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Stop starting sagas until resumed' })
  @ApiParam(SCHEDULE_ID)
  @ApiOkResponse({ description: 'The schedule, paused.' })
  @ApiErrorResponses([404, 'No schedule has this id.'], 503)
  pause(@Param('id') id: string): Promise<Schedule> {
    return this.schedules.pause(id);
  }

  @Post(':id/resume')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Start sagas again' })
  @ApiParam(SCHEDULE_ID)
  @ApiOkResponse({ description: 'The schedule, with its next run.' })
  @ApiErrorResponses([404, 'No schedule has this id.'], 503)
  resume(@Param('id') id: string): Promise<Schedule> {
    return this.schedules.resume(id);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Remove a schedule' })
  @ApiParam(SCHEDULE_ID)
  @ApiNoContentResponse({ description: 'Removed; the sagas it started are kept.' })
  @ApiErrorResponses([404, 'No schedule has this id.'], 503)
  remove(@Param('id') id: string): Promise<void> {
    return this.schedules.remove(id);
  }
}
