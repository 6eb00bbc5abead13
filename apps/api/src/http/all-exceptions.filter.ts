import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  BulkOperationInvalidError,
  EventInvalidError,
  QueryInvalidError,
  SagaError,
  SagaErrorCode,
  SagaInputInvalidError,
  SagaPastPivotError,
  ScheduleInvalidError,
  SignalInvalidError,
} from '@sagaflow/core';
import type { ErrorBody } from '@sagaflow/server';

const STATUS_BY_CODE: Record<string, HttpStatus> = {
  [SagaErrorCode.DefinitionNotFound]: HttpStatus.NOT_FOUND,
  [SagaErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [SagaErrorCode.InputInvalid]: HttpStatus.BAD_REQUEST,
  [SagaErrorCode.AlreadyExists]: HttpStatus.CONFLICT,
  [SagaErrorCode.StateConflict]: HttpStatus.CONFLICT,
  [SagaErrorCode.PastPivot]: HttpStatus.CONFLICT,
  [SagaErrorCode.IdempotencyConflict]: HttpStatus.CONFLICT,
  [SagaErrorCode.EventInvalid]: HttpStatus.BAD_REQUEST,
  [SagaErrorCode.SignalInvalid]: HttpStatus.BAD_REQUEST,
  [SagaErrorCode.QueryInvalid]: HttpStatus.BAD_REQUEST,
  [SagaErrorCode.ScheduleInvalid]: HttpStatus.BAD_REQUEST,
  [SagaErrorCode.ScheduleNotFound]: HttpStatus.NOT_FOUND,
  [SagaErrorCode.StoreUnavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [SagaErrorCode.BulkInvalid]: HttpStatus.BAD_REQUEST,
  [SagaErrorCode.BulkNotFound]: HttpStatus.NOT_FOUND,
};

/** Every error leaves as a JSON {@link ErrorBody}; never a stack trace. Unknown errors are logged and answer 500. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(AllExceptionsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const body = this.toBody(exception);
    host.switchToHttp().getResponse<FastifyReply>().status(body.statusCode).send(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof SagaError) {
      const statusCode = STATUS_BY_CODE[exception.code] ?? HttpStatus.INTERNAL_SERVER_ERROR;
      return {
        statusCode,
        code: exception.code,
        message: exception.message,
        ...((exception instanceof SagaInputInvalidError ||
          exception instanceof EventInvalidError ||
          exception instanceof ScheduleInvalidError ||
          exception instanceof BulkOperationInvalidError ||
          exception instanceof SignalInvalidError ||
          exception instanceof QueryInvalidError) && {
          errors: exception.fields,
        }),
        ...(exception instanceof SagaPastPivotError && { step: exception.step }),
      };
    }
    if (exception instanceof HttpException) {
      const response = exception.getResponse();
      if (typeof response === 'object' && 'code' in response) return response as ErrorBody;
      return {
        statusCode: exception.getStatus(),
        code: `HTTP.${HttpStatus[exception.getStatus()] ?? exception.getStatus()}`,
        message: exception.message,
      };
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return { statusCode: 500, code: 'HTTP.INTERNAL_SERVER_ERROR', message: 'Internal server error.' };
  }
}
