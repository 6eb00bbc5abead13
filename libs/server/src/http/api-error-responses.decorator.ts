import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponse } from './error.response';

/** What each error status means across the API, when an endpoint does not say more. */
const MEANINGS = {
  400: 'The request or the input is invalid; `errors` names the fields.',
  404: 'No such saga, saga name or record.',
  409: 'The saga is not in a state that allows it, or an idempotency key was reused with another input.',
  503: 'Redis is unreachable: nothing was done; try again shortly.',
} as const;

type ErrorStatus = keyof typeof MEANINGS;

/**
 * Documents the error answers of an endpoint, each with the API's {@link ErrorResponse} body: give the statuses,
 * or a status and what it means for this endpoint.
 *
 * @example
 * ```ts
 * @ApiErrorResponses(400, 503, [404, 'No saga has this id.'])
 * ```
 */
export function ApiErrorResponses(...statuses: (ErrorStatus | [ErrorStatus, string])[]): MethodDecorator {
  return applyDecorators(
    ...statuses.map((entry) => {
      const [status, description] = Array.isArray(entry) ? entry : [entry, MEANINGS[entry]];
      return ApiResponse({ status, description, type: ErrorResponse });
    }),
  );
}
