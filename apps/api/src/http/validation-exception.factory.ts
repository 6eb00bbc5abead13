import { BadRequestException, type ValidationError } from '@nestjs/common';
import { flattenValidationErrors } from '@sagaflow/core';
import type { ErrorBody } from '@sagaflow/server';

/** Makes the global ValidationPipe answer in the same shape as a saga's invalid input. */
export function validationExceptionFactory(errors: ValidationError[]): BadRequestException {
  // Nested fields by their dotted path (`filter.status`).
  const fields = flattenValidationErrors(errors);
  const body: ErrorBody = {
    statusCode: 400,
    code: 'REQUEST.INVALID',
    message: `Invalid request: ${fields.map((field) => field.field).join(', ')}.`,
    errors: fields,
  };
  return new BadRequestException(body);
}
