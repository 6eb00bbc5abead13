import { ApiProperty } from '@nestjs/swagger';
import { SAGA_STATUSES, type SagaPage, type SagaStatus, type SagaSummary } from '@sagaflow/core';

/** A saga as listed. */
export class SagaSummaryResponse implements SagaSummary {
  @ApiProperty({ example: '01a21384-a61a-75aa-ab33-ec9352cf77ac' })
  id!: string;

  @ApiProperty({ example: 'transfer' })
  name!: string;

  @ApiProperty({ description: 'The version of the definition it runs.', example: 1 })
  version!: number;

  @ApiProperty({ enum: SAGA_STATUSES })
  status!: SagaStatus;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ format: 'date-time', required: false })
  finishedAt?: string;

  @ApiProperty({
    required: false,
    description: 'Why the saga does not move on its own: a definition version or a worker pool no process serves.',
    example: { reason: 'Step "chargePayment" runs in pool "payments", which no worker process serves.' },
  })
  attention?: { reason: string };
}

/** `GET /sagas`: one page, newest first. */
export class SagaPageResponse implements SagaPage {
  @ApiProperty({ type: [SagaSummaryResponse] })
  items!: SagaSummaryResponse[];

  @ApiProperty({ required: false, description: 'Pass it as `cursor` for the next page; absent on the last one.' })
  nextCursor?: string;
}
