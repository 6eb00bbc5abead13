import { IsString, Length } from 'class-validator';

/** `POST /sagas/:id/resolve` */
export class ResolveSagaRequest {
  /** What the operator did by hand; kept in the saga's history. */
  @IsString()
  @Length(1, 2_000)
  note!: string;
}
