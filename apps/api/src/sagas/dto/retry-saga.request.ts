import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** `POST /sagas/:id/retry`; the body may be empty. */
export class RetrySagaRequest {
  /** Why the retry should now succeed; kept in the saga's history. */
  @ApiPropertyOptional({ maxLength: 2_000, example: 'The account was unfrozen.' })
  @IsOptional()
  @IsString()
  @MaxLength(2_000)
  note?: string;
}
