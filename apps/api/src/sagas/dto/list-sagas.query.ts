import { Type } from 'class-transformer';
import { IsDate, IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { EVENT_KEY_PATTERN, NAME_PATTERN, SAGA_ID_PATTERN, SAGA_STATUSES, type SagaStatus } from '@sagaflow/core';

/** `GET /sagas?name=&status=&key=&from=&to=&limit=&cursor=` */
export class ListSagasQuery {
  @IsOptional()
  @Matches(NAME_PATTERN, { message: 'name must be a saga name' })
  name?: string;

  @IsOptional()
  @IsIn(SAGA_STATUSES)
  status?: SagaStatus;

  /** Sagas started by an event with this correlation key, or that waited for one with it. */
  @IsOptional()
  @Matches(EVENT_KEY_PATTERN, { message: 'key must be a correlation key' })
  key?: string;

  /** Created at or after this time (ISO 8601). */
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'from must be an ISO 8601 date' })
  from?: Date;

  /** Created at or before this time (ISO 8601). */
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'to must be an ISO 8601 date' })
  to?: Date;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit = 20;

  /** The `nextCursor` of the previous page. */
  @IsOptional()
  @Matches(SAGA_ID_PATTERN, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}
