import { BadRequestException, HttpStatus } from '@nestjs/common';
import { IDEMPOTENCY_KEY_PATTERN } from '@sagaflow/core';
import type { ErrorBody } from '@sagaflow/server';

/** Refuses a malformed `Idempotency-Key` header with a 400 naming it, as a body field would be named. */
export function checkIdempotencyKey(key: string | undefined): void {
  if (key === undefined || IDEMPOTENCY_KEY_PATTERN.test(key)) return;
  const messages = [`Idempotency-Key must be 1 to 200 of A-Z a-z 0-9 _ . : @ + / -`];
  throw new BadRequestException({
    statusCode: HttpStatus.BAD_REQUEST,
    code: 'REQUEST.INVALID',
    message: 'Invalid request: Idempotency-Key.',
    errors: [{ field: 'Idempotency-Key', messages }],
  } satisfies ErrorBody);
}
