import { ApiProperty } from '@nestjs/swagger';
import type { SignalResult } from '@sagaflow/core';

/** `POST /sagas/:id/signals/:name`: the saga, the signal and its seq (a repeat's Idempotency-Key answers the first). */
export class SignalResultResponse implements SignalResult {
  @ApiProperty({ example: '01a21384-a61a-75aa-ab33-ec9352cf77ac' })
  sagaId!: string;

  @ApiProperty({ example: 'approval' })
  signal!: string;

  @ApiProperty({ example: 1, description: "Its place among the saga's signals, all names together, from 1." })
  seq!: number;
}
