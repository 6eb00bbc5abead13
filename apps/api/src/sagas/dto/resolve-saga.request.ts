import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

/** `POST /sagas/:id/resolve` */
export class ResolveSagaRequest {
  /** What the operator did by hand; kept in the saga's history. */
  @ApiProperty({ minLength: 1, maxLength: 2_000, example: 'Refunded by hand, ticket OPS-42.' })
  @IsString()
  @Length(1, 2_000)
  note!: string;
}
