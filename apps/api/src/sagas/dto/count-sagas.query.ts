import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { NAME_PATTERN } from '@sagaflow/core';

/** `GET /sagas/counts?name=` */
export class CountSagasQuery {
  @ApiPropertyOptional({
    description: 'Only the sagas of this name.',
    pattern: NAME_PATTERN.source,
    example: 'transfer',
  })
  @IsOptional()
  @Matches(NAME_PATTERN, { message: 'name must be a saga name' })
  name?: string;
}
