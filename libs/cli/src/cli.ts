import type { BulkOperation, PublishResult, SagaPage, SagaRecord, SignalResult, StartedSaga } from '@sagaflow/core';
import { ApiError, ApiUnreachableError, callApi } from './api-client';
import { toApiRequest } from './api-request';
import { usage, type CommandName } from './cli-commands';
import { parseCommandLine, type Connection } from './parse-args';
import {
  DEFAULT_HISTORY,
  renderApiError,
  renderBulk,
  renderBulkProgress,
  renderChange,
  renderPage,
  renderPublish,
  renderQuery,
  renderSaga,
  renderSignal,
} from './render';
import { UsageError } from './usage-error';

/** What the CLI needs from its process; injected so that it can be driven without one. */
export interface CliIo {
  env: Readonly<Record<string, string | undefined>>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readFile: (path: string) => string;
}

/** The exit codes of the CLI. */
export const EXIT = { ok: 0, apiError: 1, usage: 2 } as const;

/** How often `bulk cancel|retry|resolve` reads the operation's progress while it waits for the end. */
const BULK_POLL_MS = 500;

const BULK_STARTS: readonly CommandName[] = ['bulk cancel', 'bulk retry', 'bulk resolve'];

/** Runs one command line and resolves with its exit code; never rejects for an API or usage error. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const invocation = parseCommandLine(argv, io.env);
    if (invocation.kind === 'help') {
      io.stdout(`${usage(invocation.command)}\n`);
      return EXIT.ok;
    }
    const request = toApiRequest(invocation, io.readFile);
    const answer = await callApi(invocation.connection, request);
    if (BULK_STARTS.includes(invocation.command)) {
      return await followBulk(invocation.connection, answer as BulkOperation, invocation.json, io);
    }
    if (invocation.json) {
      io.stdout(`${JSON.stringify(answer, null, 2)}\n`);
      return EXIT.ok;
    }
    const { command, options } = invocation;
    const text =
      command === 'status'
        ? renderSaga(answer as SagaRecord, options.history ? Number(options.history) : DEFAULT_HISTORY)
        : command === 'list'
          ? renderPage(answer as SagaPage)
          : command === 'publish'
            ? renderPublish(answer as PublishResult)
            : command === 'bulk status'
              ? renderBulk(answer as BulkOperation)
              : command === 'signal'
                ? renderSignal(answer as SignalResult)
                : command === 'query'
                  ? renderQuery(answer as { result: unknown })
                  : renderChange(command, answer as StartedSaga);
    io.stdout(`${text}\n`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n\n${usage(error.command)}\n`);
      return EXIT.usage;
    }
    if (error instanceof ApiError) {
      io.stderr(`${renderApiError(error.status, error.body)}\n`);
      return EXIT.apiError;
    }
    if (error instanceof ApiUnreachableError) {
      io.stderr(`${error.message}\n`);
      return EXIT.apiError;
    }
    throw error;
  }
}

/**
 * Prints a started bulk operation's id, then a line each time its progress changes, until it is no longer
 * running; exits 0 once `completed` (some sagas may have failed: the counts say), 1 if it `failed`.
 */
async function followBulk(connection: Connection, started: BulkOperation, json: boolean, io: CliIo): Promise<number> {
  let operation = started;
  let shown = renderBulkProgress(operation);
  if (!json) io.stdout(`Bulk ${operation.operation} ${operation.id} started.\n${shown}\n`);
  while (operation.status === 'running') {
    await new Promise((resolve) => setTimeout(resolve, BULK_POLL_MS));
    const path = `/sagas/bulk/${encodeURIComponent(operation.id)}`;
    operation = (await callApi(connection, { method: 'GET', path })) as BulkOperation;
    const progress = renderBulkProgress(operation);
    if (!json && progress !== shown) io.stdout(`${progress}\n`);
    shown = progress;
  }
  io.stdout(json ? `${JSON.stringify(operation, null, 2)}\n` : `\n${renderBulk(operation)}\n`);
  return operation.status === 'completed' ? EXIT.ok : EXIT.apiError;
}
