import { ApiProperty } from '@nestjs/swagger';
import type { ErrorBody } from './error-body';

/** A field at fault in a refused request or input. */
export class FieldErrorResponse {
  @ApiProperty({ example: 'amountCents' })
  field!: string;

  @ApiProperty({ type: [String], example: ['amountCents must be a positive number'] })
  messages!: string[];
}

/** The body of every error answer of the API (see `AllExceptionsFilter`). */
export class ErrorResponse implements ErrorBody {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ description: 'Stable and machine-readable, unlike the message.', example: 'SAGA.INPUT_INVALID' })
  code!: string;

  @ApiProperty({ example: 'Invalid input of saga "transfer": amountCents.' })
  message!: string;

  @ApiProperty({ type: [FieldErrorResponse], required: false, description: 'On a 400: the fields at fault.' })
  errors?: FieldErrorResponse[];

  @ApiProperty({ required: false, description: 'On a refused cancellation: the step without compensation that ran.' })
  step?: string;
}
