import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EVENT_ID_PATTERN, EVENT_KEY_PATTERN, EVENT_TYPE_MAX_LENGTH, EVENT_TYPE_PATTERN } from '@sagaflow/core';
import { IsObject, IsOptional, Matches, MaxLength } from 'class-validator';

/** `POST /events` */
export class PublishEventRequest {
  /** Unique per event; defaults to a new id. Publishing the same id again has no second effect. */
  @ApiPropertyOptional({ pattern: EVENT_ID_PATTERN.source, example: 'order-1234-placed' })
  @IsOptional()
  @Matches(EVENT_ID_PATTERN, { message: `id must match ${EVENT_ID_PATTERN}` })
  id?: string;

  /** A dotted name such as `order.placed`. */
  @ApiProperty({ maxLength: EVENT_TYPE_MAX_LENGTH, pattern: EVENT_TYPE_PATTERN.source, example: 'order.placed' })
  @MaxLength(EVENT_TYPE_MAX_LENGTH)
  @Matches(EVENT_TYPE_PATTERN, { message: 'type must be a dotted name such as "order.placed"' })
  type!: string;

  /** The correlation key (an order id) that waiting steps match on. */
  @ApiPropertyOptional({ pattern: EVENT_KEY_PATTERN.source, example: 'order-1234' })
  @IsOptional()
  @Matches(EVENT_KEY_PATTERN, { message: `key must match ${EVENT_KEY_PATTERN}` })
  key?: string;

  /** Any JSON object; the sagas it starts validate it as their input. Defaults to `{}`. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { orderId: 'order-1234' } })
  @IsOptional()
  @IsObject()
  payload?: Record<string, unknown>;
}
