import { ApiProperty } from '@nestjs/swagger';

/** `GET /sagas/:id/queries/:name`: what the query's function of the saga returned. */
export class QueryResultResponse {
  @ApiProperty({ description: "The query's result (any JSON), as the saga's definition computes it." })
  result!: unknown;
}
