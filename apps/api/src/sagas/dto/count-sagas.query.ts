import { IsOptional, Matches } from 'class-validator';
import { NAME_PATTERN } from '@sagaflow/core';

/** `GET /sagas/counts?name=` */
export class CountSagasQuery {
  @IsOptional()
  @Matches(NAME_PATTERN, { message: 'name must be a saga name' })
  name?: string;
}
