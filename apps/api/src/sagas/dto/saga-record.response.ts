import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  HISTORY_ENTRY_TYPES,
  STEP_STATUSES,
  type ErrorInfo,
  type HistoryEntry,
  type SagaParent,
  type SagaRecord,
  type SignalRecord,
  type StepRecord,
  type StepStatus,
  type WaitInfo,
} from '@sagaflow/core';
import { SagaSummaryResponse } from './saga-page.response';

/** An error as the saga keeps it. */
export class ErrorInfoResponse implements ErrorInfo {
  @ApiProperty({ example: 'InsufficientFundsError' })
  name!: string;

  @ApiProperty({ example: 'Account "acct-alice" holds 500 cents; 1000 were asked for.' })
  message!: string;

  @ApiProperty({ required: false, example: 'TRANSFER.INSUFFICIENT_FUNDS' })
  code?: string;
}

/** The failure that turned the saga to compensation, and its step. */
export class SagaErrorResponse extends ErrorInfoResponse {
  @ApiProperty({ example: 'debitSource' })
  step!: string;
}

/**
 * What a wait or sleep step waits for: an event of a type and key, or a signal (neither for a sleep), until a
 * deadline.
 */
export class WaitInfoResponse implements WaitInfo {
  @ApiProperty({ required: false, example: 'shipment.delivered' })
  event?: string;

  @ApiProperty({ required: false, example: 'order-1234' })
  key?: string;

  @ApiProperty({ required: false, example: 'approval' })
  signal?: string;

  @ApiProperty({ format: 'date-time' })
  until!: string;
}

/** A step's wait, and the event (or the seq of the signal) that ended it. */
export class StepWaitResponse extends WaitInfoResponse {
  @ApiProperty({ required: false })
  eventId?: string;

  @ApiProperty({ required: false, description: 'The seq of the signal that ended the wait.' })
  seq?: number;
}

/** While the saga is `waiting`: the step and what it waits for. */
export class SagaWaitResponse extends WaitInfoResponse {
  @ApiProperty({ example: 'awaitDelivery' })
  step!: string;
}

/** The compensation of a step, once it started. */
export class CompensationResponse {
  @ApiProperty()
  attempts!: number;

  @ApiProperty({ format: 'date-time', required: false })
  startedAt?: string;

  @ApiProperty({ format: 'date-time', required: false })
  finishedAt?: string;

  @ApiProperty({ type: ErrorInfoResponse, required: false })
  error?: ErrorInfoResponse;
}

/** One step of a saga. */
export class StepRecordResponse implements StepRecord {
  @ApiProperty({ example: 'debitSource' })
  name!: string;

  @ApiProperty({ enum: STEP_STATUSES })
  status!: StepStatus;

  @ApiProperty({ description: 'Attempts of the step made so far.' })
  attempts!: number;

  @ApiProperty({ format: 'date-time', required: false })
  startedAt?: string;

  @ApiProperty({ format: 'date-time', required: false })
  finishedAt?: string;

  @ApiProperty({ required: false, description: "The step's result, as it returned it (any JSON)." })
  output?: unknown;

  @ApiProperty({ type: ErrorInfoResponse, required: false })
  error?: ErrorInfoResponse;

  @ApiProperty({ type: StepWaitResponse, required: false })
  wait?: StepWaitResponse;

  @ApiProperty({ type: CompensationResponse, required: false })
  compensation?: CompensationResponse;
}

/** One line of a saga's history. */
export class HistoryEntryResponse implements HistoryEntry {
  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ enum: HISTORY_ENTRY_TYPES })
  type!: HistoryEntry['type'];

  @ApiProperty({ required: false })
  step?: string;

  @ApiProperty({ required: false })
  attempt?: number;

  @ApiProperty({ type: ErrorInfoResponse, required: false })
  error?: ErrorInfoResponse;

  @ApiProperty({ required: false, description: 'On a failure: whether another attempt follows.' })
  willRetry?: boolean;

  @ApiProperty({
    required: false,
    description: "An operator's note (retried, resolved), or the cancellation's reason.",
  })
  note?: string;

  @ApiProperty({ required: false })
  event?: string;

  @ApiProperty({ required: false })
  key?: string;

  @ApiProperty({ format: 'date-time', required: false })
  until?: string;

  @ApiProperty({ required: false })
  eventId?: string;

  @ApiProperty({ required: false, description: 'The signal received, waited for, or that ended a wait.' })
  signal?: string;

  @ApiProperty({ required: false, description: "The signal's seq among the saga's signals." })
  seq?: number;
}

/** A signal the saga received. */
export class SignalRecordResponse implements SignalRecord {
  @ApiProperty({ example: 1, description: "Its place among the saga's signals, all names together, from 1." })
  seq!: number;

  @ApiProperty({ example: 'approval' })
  name!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Its payload, as validated.' })
  payload!: unknown;
}

/** The saga and step that started a child saga. */
export class SagaParentResponse implements SagaParent {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'pay' })
  step!: string;
}

/** A cancellation asked for. */
export class CancellationResponse {
  @ApiProperty({ required: false })
  reason?: string;

  @ApiProperty({ format: 'date-time' })
  requestedAt!: string;
}

/** The concurrency key of a saga whose definition limits how many of one key run at once. */
export class SagaConcurrencyResponse {
  @ApiProperty({ example: 'm-1' })
  key!: string;

  @ApiProperty({ example: 1, description: 'How many sagas of the key may run at once.' })
  limit!: number;

  @ApiProperty({ format: 'date-time', required: false, description: 'When it took a slot; absent while queued.' })
  admittedAt?: string;
}

/** `GET /sagas/:id`: a saga with its input, steps and history. */
export class SagaRecordResponse extends SagaSummaryResponse implements SagaRecord {
  @ApiProperty({
    description: 'The input it was started with (any JSON object).',
    type: 'object',
    additionalProperties: true,
  })
  input!: unknown;

  @ApiProperty({ type: SagaErrorResponse, required: false })
  error?: SagaErrorResponse;

  @ApiProperty({ type: SagaWaitResponse, required: false })
  waitingFor?: SagaWaitResponse;

  @ApiProperty({ type: CancellationResponse, required: false })
  cancellation?: CancellationResponse;

  @ApiProperty({ type: SagaParentResponse, required: false, description: 'Set on a child saga.' })
  parent?: SagaParentResponse;

  @ApiPropertyOptional({
    description:
      'The tags it was started with, to find it by (`GET /sagas?tag=name:value`), such as { customerId: "c-1" }.',
    type: 'object',
    additionalProperties: true,
  })
  tags?: Record<string, string>;

  @ApiProperty({ required: false, description: 'Set on a rerun: the saga whose input it started with.' })
  rerunOf?: string;

  @ApiProperty({ type: SagaConcurrencyResponse, required: false })
  concurrency?: SagaConcurrencyResponse;
  @ApiProperty({ type: [SignalRecordResponse], required: false, description: 'The signals it received, oldest first.' })
  signals?: SignalRecordResponse[];

  @ApiProperty({ type: [StepRecordResponse] })
  steps!: StepRecordResponse[];

  @ApiProperty({ type: [HistoryEntryResponse] })
  history!: HistoryEntryResponse[];
}
