import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { EVENT_KEY_PATTERN, NAME_PATTERN, SAGA_ID_PATTERN, SAGA_STATUSES, type SagaStatus } from '@sagaflow/core';

/** `GET /sagas?name=&status=&key=&from=&to=&limit=&cursor=` */
export class ListSagasQuery {
  @ApiPropertyOptional({
    description: 'Only the sagas of this name.',
    pattern: NAME_PATTERN.source,
    example: 'transfer',
  })
  @IsOptional()
  @Matches(NAME_PATTERN, { message: 'name must be a saga name' })
  name?: string;

  @ApiPropertyOptional({ enum: SAGA_STATUSES, description: 'Only the sagas now in this status.' })
  @IsOptional()
  @IsIn(SAGA_STATUSES)
  status?: SagaStatus;

  /** Sagas started by an event with this correlation key, or that waited for one with it. */
  @ApiPropertyOptional({
    description: 'Sagas started by an event with this correlation key, or that waited for one with it.',
    pattern: EVENT_KEY_PATTERN.source,
    example: 'order-1234',
  })
  @IsOptional()
  @Matches(EVENT_KEY_PATTERN, { message: 'key must be a correlation key' })
  key?: string;

  /** Created at or after this time (ISO 8601). */
  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Created at or after this time.' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'from must be an ISO 8601 date' })
  from?: Date;

  /** Created at or before this time (ISO 8601). */
  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Created at or before this time.' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'to must be an ISO 8601 date' })
  to?: Date;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 100, default: 20, description: 'Sagas per page.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit = 20;

  /** The `nextCursor` of the previous page. */
  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page.', pattern: SAGA_ID_PATTERN.source })
  @IsOptional()
  @Matches(SAGA_ID_PATTERN, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}
