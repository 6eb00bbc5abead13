import { ApiProperty } from '@nestjs/swagger';
import { SAGA_STATUSES, type SagaStatus, type StartResult, type StartedSaga } from '@sagaflow/core';

/** `POST /sagas/:id/retry`, `/cancel` and `/resolve`: the saga and its status after the change. */
export class StartedSagaResponse implements StartedSaga {
  @ApiProperty({ example: '01a21384-a61a-75aa-ab33-ec9352cf77ac' })
  id!: string;

  @ApiProperty({ example: 'transfer' })
  name!: string;

  @ApiProperty({ enum: SAGA_STATUSES, example: 'running' })
  status!: SagaStatus;
}

/** `POST /sagas/:name`: the saga started, or the one an `Idempotency-Key` found (`created: false`). */
export class StartResultResponse extends StartedSagaResponse implements StartResult {
  @ApiProperty({ description: 'False when an earlier start with the same Idempotency-Key and input is answered.' })
  created!: boolean;
}
