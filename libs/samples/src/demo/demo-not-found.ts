import { HttpStatus, NotFoundException } from '@nestjs/common';
import type { ErrorBody } from '@sagaflow/server';

/** A 404 of the demo read-outs, carrying a full {@link ErrorBody} that the error filter passes through as it is. */
export function demoNotFound(message: string): NotFoundException {
  const body: ErrorBody = { statusCode: HttpStatus.NOT_FOUND, code: 'DEMO.NOT_FOUND', message };
  return new NotFoundException(body);
}
