import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

/** `POST /sagas/:id/cancel` */
export class CancelSagaRequest {
  /** Why the saga is cancelled; kept in its history. */
  @ApiPropertyOptional({ minLength: 1, maxLength: 2_000, example: 'The customer called it off.' })
  @IsOptional()
  @IsString()
  @Length(1, 2_000)
  reason?: string;
}
