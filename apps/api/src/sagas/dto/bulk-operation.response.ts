import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  BULK_OPERATION_KINDS,
  BULK_OPERATION_STATUSES,
  type BulkOperation,
  type BulkOperationKind,
  type BulkOperationStatus,
} from '@sagaflow/core';

/** A bulk operation's filter, as recorded (times as ISO 8601). */
export class BulkFilterResponse {
  @ApiProperty({ required: false, example: 'transfer' })
  name?: string;

  @ApiProperty({ required: false, example: 'waiting' })
  status?: string;

  @ApiProperty({ required: false })
  key?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  tags?: Record<string, string>;

  @ApiProperty({ required: false, format: 'date-time' })
  from?: string;

  @ApiProperty({ required: false, format: 'date-time' })
  to?: string;
}

/** `POST /sagas/bulk`, `GET /sagas/bulk/:id`: the operation and its progress, updated after each batch. */
export class BulkOperationResponse implements BulkOperation {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: BULK_OPERATION_KINDS })
  operation!: BulkOperationKind;

  @ApiProperty({ type: BulkFilterResponse })
  filter!: BulkFilterResponse;

  @ApiProperty({ required: false })
  reason?: string;

  @ApiProperty({ required: false })
  note?: string;

  @ApiProperty({
    enum: BULK_OPERATION_STATUSES,
    description: '`running` while it works; `completed` once every match was tried; `failed` if the listing stopped.',
  })
  status!: BulkOperationStatus;

  @ApiProperty({ description: 'Sagas the filter matched so far.', example: 250 })
  matched!: number;

  @ApiProperty({ description: 'Sagas the operation changed.', example: 240 })
  applied!: number;

  @ApiProperty({ description: 'Sagas whose state refused it (already cancelled, not parked…): left as they were.' })
  skipped!: number;

  @ApiProperty({ description: 'Sagas it could not act on for another reason (see `lastError`).' })
  failed!: number;

  @ApiProperty({ required: false })
  lastError?: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ format: 'date-time', required: false })
  finishedAt?: string;
}

/** `POST /sagas/bulk`: `created` is false when an `Idempotency-Key` found the operation it started first. */
export class StartedBulkOperationResponse extends BulkOperationResponse {
  @ApiProperty()
  created!: boolean;
}

/** `GET /sagas/bulk`: the recent bulk operations, newest first. */
export class BulkOperationListResponse {
  @ApiProperty({ type: [BulkOperationResponse] })
  items!: BulkOperationResponse[];
}
