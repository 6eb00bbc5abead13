import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsDate, IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import {
  EVENT_KEY_PATTERN,
  MAX_TAGS,
  NAME_PATTERN,
  SAGA_ID_PATTERN,
  SAGA_STATUSES,
  TAG_NAME_PATTERN,
  type SagaStatus,
} from '@sagaflow/core';

/** `name:value`, the form of a tag in a query string (the value may hold `:` itself). */
const TAG_PARAMETER = new RegExp(`^${TAG_NAME_PATTERN.source.slice(1, -1)}:${EVENT_KEY_PATTERN.source.slice(1, -1)}$`);

/** The tags of a repeated `tag=name:value` parameter; a later one of a name wins. */
export function tagsOf(parameters: readonly string[] | undefined): Record<string, string> | undefined {
  if (!parameters || parameters.length === 0) return undefined;
  return Object.fromEntries(parameters.map((tag) => [tag.slice(0, tag.indexOf(':')), tag.slice(tag.indexOf(':') + 1)]));
}

/**
 * The `tag` query parameter, given once or repeated: `tag=customerId:c-1&tag=region:eu`.
 * @example `class StartSagaQuery { @TagParameter('Tags to find the saga by.') tag?: string[] }`
 */
export function TagParameter(description: string): PropertyDecorator {
  return (target, property) => {
    ApiPropertyOptional({ type: [String], description, example: ['customerId:c-1'] })(target, property);
    IsOptional()(target, property);
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? [value] : value))(target, property);
    ArrayMaxSize(MAX_TAGS, { message: `tag may be given at most ${MAX_TAGS} times` })(target, property);
    Matches(TAG_PARAMETER, { each: true, message: 'tag must be name:value, such as customerId:c-1' })(target, property);
  };
}

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

  /** Sagas started with all these tags. */
  @TagParameter('Sagas started with this tag, as name:value; repeat it for sagas with all of them.')
  tag?: string[];

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
