import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsObject, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { BULK_OPERATION_KINDS, type BulkOperationKind, type BulkRequest } from '@sagaflow/core';
import { ListSagasQuery } from './list-sagas.query';

/** Which sagas: the listing's filters, with its rules and docs; at least one must be set. */
export class BulkFilterRequest extends PickType(ListSagasQuery, ['name', 'status', 'key', 'from', 'to'] as const) {
  /** The names and values are checked with the request (`SAGA.BULK_INVALID` naming `filter.tags.<name>`). */
  @ApiPropertyOptional({
    description: 'Sagas started with all of these tags, as GET /sagas?tag=name:value finds them.',
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { customerId: 'c-1' },
  })
  @IsOptional()
  @IsObject()
  tags?: Record<string, string>;
}

/** `POST /sagas/bulk` */
export class BulkOperationRequest implements BulkRequest {
  @ApiProperty({ enum: BULK_OPERATION_KINDS, example: 'cancel' })
  @IsIn(BULK_OPERATION_KINDS)
  operation!: BulkOperationKind;

  @ApiProperty({
    type: BulkFilterRequest,
    description: 'The sagas `GET /sagas` lists with these filters; at least one of them must be set.',
    example: { name: 'transfer', status: 'waiting' },
  })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => BulkFilterRequest)
  filter!: BulkFilterRequest;

  /** Why the sagas are cancelled (cancel only); kept in each one's history. */
  @ApiPropertyOptional({ minLength: 1, maxLength: 2_000, example: 'The promotion was called off.' })
  @IsOptional()
  @IsString()
  @Length(1, 2_000)
  reason?: string;

  /** What the operator did or why (retry and resolve only; required by resolve); kept in each one's history. */
  @ApiPropertyOptional({ minLength: 1, maxLength: 2_000, example: 'Refunded by hand, ticket OPS-42.' })
  @IsOptional()
  @IsString()
  @Length(1, 2_000)
  note?: string;
}
