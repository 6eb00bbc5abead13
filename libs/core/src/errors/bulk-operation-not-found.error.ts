import { SagaError } from './saga.error';
import { SagaErrorCode } from './error-codes';

/** Thrown when no bulk operation has this id: it never existed, or its record has expired. */
export class BulkOperationNotFoundError extends SagaError {
  readonly code = SagaErrorCode.BulkNotFound;

  constructor(readonly bulkId: string) {
    super(`No bulk operation has id "${bulkId}"; records are kept 7 days. List them with GET /sagas/bulk.`);
  }
}
