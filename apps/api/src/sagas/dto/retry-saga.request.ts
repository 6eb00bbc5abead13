import { IsOptional, IsString, MaxLength } from 'class-validator';

/** `POST /sagas/:id/retry`; the body may be empty. */
export class RetrySagaRequest {
  /** Why the retry should now succeed; kept in the saga's history. */
  @IsOptional()
  @IsString()
  @MaxLength(2_000)
  note?: string;
}
