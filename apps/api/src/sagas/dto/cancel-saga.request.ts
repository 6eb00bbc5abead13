import { IsOptional, IsString, Length } from 'class-validator';

/** `POST /sagas/:id/cancel` */
export class CancelSagaRequest {
  /** Why the saga is cancelled; kept in its history. */
  @IsOptional()
  @IsString()
  @Length(1, 2_000)
  reason?: string;
}
