import { SagaError } from './saga.error';
import { SagaErrorCode } from './error-codes';

/** Thrown when a saga is started, or a job processed, for a name (and version) no module registered. */
export class SagaDefinitionNotFoundError extends SagaError {
  readonly code = SagaErrorCode.DefinitionNotFound;

  constructor(
    readonly sagaName: string,
    readonly version?: number,
  ) {
    super(
      version === undefined
        ? `No saga named "${sagaName}" is registered.`
        : `Version ${version} of saga "${sagaName}" is not registered in this process.`,
    );
  }
}
