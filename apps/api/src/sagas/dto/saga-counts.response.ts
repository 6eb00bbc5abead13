import { ApiProperty } from '@nestjs/swagger';
import type { SagaStatus } from '@sagaflow/core';

/** `GET /sagas/counts`: how many sagas are in each status now. */
export class SagaCountsResponse implements Record<SagaStatus, number> {
  @ApiProperty({ example: 2, description: 'Waiting for a slot of their concurrency key.' })
  queued!: number;

  @ApiProperty({ example: 3 })
  running!: number;

  @ApiProperty({ example: 12 })
  waiting!: number;

  @ApiProperty({ example: 1_204 })
  completed!: number;

  @ApiProperty({ example: 0 })
  compensating!: number;

  @ApiProperty({ example: 37 })
  compensated!: number;

  @ApiProperty({ example: 1 })
  compensation_failed!: number;
}
