import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { NAME_PATTERN, SAGA_ID_PATTERN, SAGA_STATUSES, type SagaStatus } from '@sagaflow/core';

/** `GET /sagas?name=&status=&limit=&cursor=` */
export class ListSagasQuery {
  @IsOptional()
  @Matches(NAME_PATTERN, { message: 'name must be a saga name' })
  name?: string;

  @IsOptional()
  @IsIn(SAGA_STATUSES)
  status?: SagaStatus;

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
