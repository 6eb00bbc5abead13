import type {
  BulkOperation,
  ErrorInfo,
  HistoryEntry,
  PublishResult,
  SagaPage,
  SagaRecord,
  SignalResult,
  StartResult,
  StartedSaga,
} from '@sagaflow/core';
import type { ApiErrorBody } from './api-client';
import type { CommandName } from './cli-commands';
import { formatFields, formatTable } from './table';

/** @defaultValue how many history entries `status` shows */
export const DEFAULT_HISTORY = 10;

const describeError = (error: ErrorInfo | undefined): string =>
  error ? `${error.code ?? error.name}: ${error.message}` : '';

function historyDetail(entry: HistoryEntry): string {
  const parts: string[] = [];
  if (entry.error) parts.push(describeError(entry.error));
  if (entry.willRetry !== undefined) parts.push(entry.willRetry ? 'will retry' : 'no retry');
  if (entry.event) parts.push(`event ${entry.event}${entry.key ? ` (key ${entry.key})` : ''}`);
  if (entry.until) parts.push(`until ${entry.until}`);
  if (entry.eventId) parts.push(`event id ${entry.eventId}`);
  if (entry.signal) parts.push(`signal ${entry.signal}${entry.seq !== undefined ? ` #${entry.seq}` : ''}`);
  if (entry.note) parts.push(`note: ${entry.note}`);
  return parts.join('; ');
}

function waitedFor({ event, key, signal }: NonNullable<SagaRecord['waitingFor']>): string {
  if (event) return `event ${event}${key ? ` with key ${key}` : ''}`;
  return signal ? `signal ${signal}` : 'timer';
}

/** `status`: the saga, its steps, what it waits for, and its last `historyLimit` history entries. */
export function renderSaga(saga: SagaRecord, historyLimit = DEFAULT_HISTORY): string {
  const waiting = saga.waitingFor;
  const fields = formatFields([
    ['Saga', saga.id],
    ['Name', `${saga.name} v${saga.version}`],
    ['Status', saga.status],
    ['Created', saga.createdAt],
    ['Updated', saga.updatedAt],
    ['Finished', saga.finishedAt],
    ['Error', saga.error ? `${describeError(saga.error)} (step ${saga.error.step})` : undefined],
    ['Waiting for', waiting ? `${waitedFor(waiting)} at step ${waiting.step}, until ${waiting.until}` : undefined],
    [
      'Concurrency',
      saga.concurrency
        ? `key ${saga.concurrency.key}, at most ${saga.concurrency.limit} at a time; ${saga.concurrency.admittedAt ? `running since ${saga.concurrency.admittedAt}` : 'queued for a slot'}`
        : undefined,
    ],
    [
      'Cancelled',
      saga.cancellation
        ? `${saga.cancellation.requestedAt}${saga.cancellation.reason ? ` (${saga.cancellation.reason})` : ''}`
        : undefined,
    ],
  ]);
  const steps = formatTable(
    ['STEP', 'STATUS', 'ATTEMPTS', 'ERROR'],
    saga.steps.map((step) => [
      step.name,
      step.status,
      step.compensation ? `${step.attempts} (undo ${step.compensation.attempts})` : step.attempts,
      describeError(step.compensation?.error ?? step.error),
    ]),
  );
  const shown = saga.history.slice(-historyLimit);
  const history = formatTable(
    ['AT', 'EVENT', 'STEP', 'ATTEMPT', 'DETAIL'],
    shown.map((entry) => [entry.at, entry.type, entry.step, entry.attempt, historyDetail(entry)]),
  );
  const skipped = saga.history.length - shown.length;
  return [
    fields,
    '',
    steps,
    '',
    `History (last ${shown.length} of ${saga.history.length}${skipped ? `; --history <n> for more` : ''}):`,
    history,
  ].join('\n');
}

/** `list`: one line per saga, then the cursor of the next page if there is one. */
export function renderPage(page: SagaPage): string {
  const table = formatTable(
    ['ID', 'NAME', 'STATUS', 'CREATED', 'UPDATED'],
    page.items.map((saga) => [saga.id, saga.name, saga.status, saga.createdAt, saga.updatedAt]),
  );
  const footer = page.nextCursor
    ? `Next page: --cursor ${page.nextCursor}`
    : `${page.items.length} saga${page.items.length === 1 ? '' : 's'}, no more pages.`;
  return `${table}\n\n${footer}`;
}

/** `publish`: the event id, and the sagas it started, resumed, or that refused it. */
export function renderPublish(result: PublishResult): string {
  const rows = [
    ...result.started.map((id) => ['started', id, '', '']),
    ...result.resumed.map((id) => ['resumed', id, '', '']),
    ...result.rejected.map((rejection) => [
      'rejected',
      rejection.sagaId ?? '',
      rejection.saga,
      [rejection.reason, ...(rejection.errors ?? []).map((e) => `${e.field}: ${e.messages.join(', ')}`)].join('; '),
    ]),
  ];
  const summary = `Event ${result.eventId}: ${result.started.length} started, ${result.resumed.length} resumed, ${result.rejected.length} rejected.`;
  return rows.length ? `${summary}\n\n${formatTable(['RESULT', 'SAGA ID', 'SAGA', 'REASON'], rows)}` : summary;
}

/** `signal`: the signal and its seq among the saga's signals. */
export function renderSignal(result: SignalResult): string {
  return `Signal ${result.signal} sent to saga ${result.sagaId}: seq ${result.seq}.`;
}

/** `query`: the result, as indented JSON (a query answers any JSON). */
export function renderQuery(answer: { result: unknown }): string {
  return JSON.stringify(answer.result, null, 2);
}

/** `start`, `cancel`, `retry` and `resolve`: the saga and its status after the change. */
export function renderChange(command: CommandName, saga: StartedSaga | StartResult): string {
  const verb =
    command === 'start'
      ? 'created' in saga && saga.created === false
        ? 'Already started (same idempotency key)'
        : 'Started'
      : command === 'rerun'
        ? 'created' in saga && saga.created === false
          ? 'Already rerun (same idempotency key)'
          : 'Rerun started'
        : ({ cancel: 'Cancelling', retry: 'Retrying', resolve: 'Resolved' } as Record<string, string>)[command];
  return `${verb}: ${saga.name} ${saga.id}, status ${saga.status}`;
}

/** A bulk operation's progress, on one line: printed as it changes while `bulk cancel|retry|resolve` waits. */
export function renderBulkProgress(operation: BulkOperation): string {
  const { status, matched, applied, skipped, failed } = operation;
  return `${status}: matched ${matched}, applied ${applied}, skipped ${skipped}, failed ${failed}`;
}

/** `bulk status`, and the end of `bulk cancel|retry|resolve`: the operation, its filter and its counts. */
export function renderBulk(operation: BulkOperation): string {
  const filter = Object.entries(operation.filter)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  return formatFields([
    ['Bulk', operation.id],
    ['Operation', operation.operation],
    ['Filter', filter],
    ['Reason', operation.reason],
    ['Note', operation.note],
    ['Status', operation.status],
    ['Matched', String(operation.matched)],
    ['Applied', String(operation.applied)],
    ['Skipped', String(operation.skipped)],
    ['Failed', String(operation.failed)],
    ['Last error', operation.lastError],
    ['Created', operation.createdAt],
    ['Finished', operation.finishedAt],
  ]);
}

/** An API error: the status, the code and the message, then each invalid field of a 400. */
export function renderApiError(status: number, body: ApiErrorBody): string {
  const lines = [`Error ${status} ${body.code ?? 'HTTP_ERROR'}: ${body.message ?? '(no message)'}`];
  for (const error of body.errors ?? []) lines.push(`  ${error.field}: ${error.messages.join('; ')}`);
  return lines.join('\n');
}
