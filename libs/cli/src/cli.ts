import type { PublishResult, SagaPage, SagaRecord, StartedSaga } from '@sagaflow/core';
import { ApiError, ApiUnreachableError, callApi } from './api-client';
import { toApiRequest } from './api-request';
import { usage } from './cli-commands';
import { parseCommandLine } from './parse-args';
import { DEFAULT_HISTORY, renderApiError, renderChange, renderPage, renderPublish, renderSaga } from './render';
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
