import { SagaError } from './saga.error';
import { SagaErrorCode } from './error-codes';

/** Thrown by `defineSaga(...).build()` and at registration when a definition cannot run as written. */
export class InvalidSagaDefinitionError extends SagaError {
  readonly code = SagaErrorCode.InvalidDefinition;

  constructor(
    readonly sagaName: string,
    problem: string,
  ) {
    super(`Saga "${sagaName}" is not valid: ${problem} Check its definition.`);
  }
}
