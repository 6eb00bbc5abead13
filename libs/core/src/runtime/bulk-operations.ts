import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { BulkOperationInvalidError } from '../errors/bulk-operation-invalid.error';
import { BulkOperationNotFoundError } from '../errors/bulk-operation-not-found.error';
import { SagaIdempotencyConflictError } from '../errors/saga-idempotency-conflict.error';
import { SagaNotFoundError } from '../errors/saga-not-found.error';
import { SagaPastPivotError } from '../errors/saga-past-pivot.error';
import { SagaStateConflictError } from '../errors/saga-state-conflict.error';
import type { InputFieldError } from '../errors/saga-input-invalid.error';
import { EVENT_KEY_PATTERN, TAG_NAME_PATTERN } from '../definition/patterns';
import { guardRedis } from '../redis/guard-redis';
import type { SagaListQuery } from '../store/redis-saga-store';
import type { SagaKeys } from '../store/saga-keys';
import { hashOf } from './canonical-json';
import type { SagaClient } from './saga-client';

/** The operator actions a bulk operation applies, one saga at a time. @publicApi */
export const BULK_OPERATION_KINDS = ['cancel', 'retry', 'resolve'] as const;
/** @publicApi */
export type BulkOperationKind = (typeof BULK_OPERATION_KINDS)[number];

/**
 * `running` until every matching saga has been tried; `completed` then (some may have failed: see `failed`);
 * `failed` when the listing itself stopped (Redis unreachable), with `lastError`.
 * @publicApi
 */
export const BULK_OPERATION_STATUSES = ['running', 'completed', 'failed'] as const;
/** @publicApi */
export type BulkOperationStatus = (typeof BULK_OPERATION_STATUSES)[number];

/** Which sagas a bulk operation acts on: the filters of {@link SagaClient.list}; at least one must be set. @publicApi */
export type BulkFilter = Omit<SagaListQuery, 'limit' | 'cursor'>;

/** What to do to which sagas. @publicApi */
export interface BulkRequest {
  operation: BulkOperationKind;
  filter: BulkFilter;
  /** Why the sagas are cancelled (cancel only), as `SagaClient.cancel` takes it. */
  reason?: string;
  /** The operator's note (retry, resolve only; required by resolve), as `SagaClient.retry`/`resolve` take it. */
  note?: string;
}

/** A bulk operation as recorded: its request, and its progress, updated after each batch. @publicApi */
export interface BulkOperation {
  id: string;
  operation: BulkOperationKind;
  /** The filter, with its times as ISO 8601 strings. */
  filter: { name?: string; status?: string; key?: string; tags?: Record<string, string>; from?: string; to?: string };
  reason?: string;
  note?: string;
  status: BulkOperationStatus;
  /** Sagas the filter matched so far. */
  matched: number;
  /** Sagas the operation changed. */
  applied: number;
  /** Sagas it left as they were: their state does not allow it (already done, by this run or an earlier one). */
  skipped: number;
  /** Sagas it could not act on for another reason; the last one's message is `lastError`. */
  failed: number;
  lastError?: string;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
}

/** Options of {@link BulkOperations}. @publicApi */
export interface BulkOperationsOptions {
  /**
   * Sagas listed and acted on per batch; progress is written after each.
   * @defaultValue 100
   */
  batchSize?: number;
  /**
   * How long a bulk operation's record (and its idempotency key) is kept, in ms.
   * @defaultValue 604800000 (7 days)
   */
  ttlMs?: number;
}

const DEFAULT_BATCH_SIZE = 100;
const DEFAULT_TTL_MS = 7 * 86_400_000;
/** Bulk operation ids are UUIDs; anything else is not looked up. */
const BULK_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
type RecordedRequest = Pick<BulkOperation, 'operation' | 'filter' | 'reason' | 'note'>;
type Counts = Pick<BulkOperation, 'matched' | 'applied' | 'skipped' | 'failed'>;

/**
 * Applies one operator action (cancel, retry or resolve) to every saga a filter matches, page by page through
 * {@link SagaClient.list}, with the same fenced transition as the single-saga call. A saga whose state refuses the
 * action is `skipped`, so running the same request again is safe: it applies to none already done. The record
 * lives in Redis, so any process can report on it; the work runs in the process that started it, and a crash of
 * that process leaves the record `running` with the counts of the batches done (repeat the request to finish).
 * @publicApi
 */
export class BulkOperations {
  private readonly batchSize: number;
  private readonly ttlMs: number;
  private readonly runs = new Set<Promise<void>>();
  private closing = false;

  constructor(
    private readonly redis: Redis,
    private readonly keys: SagaKeys,
    private readonly client: SagaClient,
    options: BulkOperationsOptions = {},
  ) {
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  }

  /**
   * Records the operation as `running` and works it off in the background; resolves with the record at once.
   * With an idempotency key, a repeat of the same request answers the operation it started first (`created: false`).
   * @throws BulkOperationInvalidError for an empty filter, an unknown operation, or a resolve without a note
   * @throws SagaIdempotencyConflictError when the idempotency key was used for another request
   */
  async start(request: BulkRequest, idempotencyKey?: string): Promise<BulkOperation & { created: boolean }> {
    checkRequest(request);
    const id = randomUUID();
    const now = new Date().toISOString();
    const operation: BulkOperation = {
      id,
      ...toRecordRequest(request),
      status: 'running',
      matched: 0,
      applied: 0,
      skipped: 0,
      failed: 0,
      createdAt: now,
      updatedAt: now,
    };
    const key = this.keys.bulk(id);
    await guardRedis(() =>
      this.redis
        .multi()
        .hset(key, { request: JSON.stringify(toRecordRequest(request)), ...counters(operation) })
        .pexpire(key, this.ttlMs)
        .zadd(this.keys.bulkIndex(), Date.now(), id)
        .zremrangebyscore(this.keys.bulkIndex(), '-inf', Date.now() - this.ttlMs)
        .exec(),
    );
    // The key is claimed after the record is written, so a concurrent repeat that loses always finds the winner's.
    if (idempotencyKey !== undefined) {
      const hash = hashOf(toRecordRequest(request));
      const idempotency = this.keys.bulkIdempotency(idempotencyKey);
      const claimed = await guardRedis(() => this.redis.set(idempotency, `${id} ${hash}`, 'PX', this.ttlMs, 'NX'));
      if (claimed === null) {
        await guardRedis(() => this.redis.multi().del(key).zrem(this.keys.bulkIndex(), id).exec());
        const [ownerId, ownerHash] = ((await guardRedis(() => this.redis.get(idempotency))) ?? '').split(' ');
        if (ownerHash !== hash) throw new SagaIdempotencyConflictError(idempotencyKey, ownerId);
        return { ...(await this.get(ownerId)), created: false };
      }
    }
    const run = this.run(id, request).finally(() => this.runs.delete(run));
    this.runs.add(run);
    return { ...operation, created: true };
  }

  /** @throws BulkOperationNotFoundError */
  async get(bulkId: string): Promise<BulkOperation> {
    if (!BULK_ID_PATTERN.test(bulkId)) throw new BulkOperationNotFoundError(bulkId);
    const hash = await guardRedis(() => this.redis.hgetall(this.keys.bulk(bulkId)));
    if (!hash.request) throw new BulkOperationNotFoundError(bulkId);
    return toOperation(bulkId, hash);
  }

  /** The most recent bulk operations, newest first (at most `limit`), of those still kept. */
  async list(limit = 20): Promise<BulkOperation[]> {
    const ids = await guardRedis(() => this.redis.zrevrange(this.keys.bulkIndex(), 0, limit - 1));
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.bulk(id));
    const rows = (await guardRedis(() => pipeline.exec())) ?? [];
    return ids.flatMap((id, index) => {
      const hash = rows[index]?.[1] as Record<string, string> | undefined;
      return hash?.request ? [toOperation(id, hash)] : [];
    });
  }

  /**
   * Stops the running operations after their current batch (their records stay `running`, with their counts),
   * and waits for that: call it before closing the Redis connection.
   */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.runs]);
  }

  private async run(id: string, request: BulkRequest): Promise<void> {
    const counts: Counts = { matched: 0, applied: 0, skipped: 0, failed: 0 };
    let lastError: string | undefined;
    let cursor: string | undefined;
    try {
      do {
        if (this.closing) return;
        const page = await this.client.list({ ...request.filter, limit: this.batchSize, cursor });
        counts.matched += page.items.length;
        const outcomes = await Promise.all(page.items.map((saga) => this.apply(request, saga.id)));
        for (const outcome of outcomes) {
          if (outcome === 'applied' || outcome === 'skipped') counts[outcome] += 1;
          else {
            counts.failed += 1;
            lastError = outcome.error;
          }
        }
        cursor = page.nextCursor;
        await this.save(id, { ...counts, ...(lastError !== undefined && { lastError }) });
      } while (cursor !== undefined);
      await this.save(id, { ...counts, status: 'completed', finishedAt: new Date().toISOString() });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // Redis may be what failed: the record then keeps the counts of the last batch written.
      await this.save(id, {
        ...counts,
        status: 'failed',
        lastError: message,
        finishedAt: new Date().toISOString(),
      }).catch(() => undefined);
    }
  }

  /** One saga: a refusal by its state is `skipped` (that is what makes a repeat idempotent). */
  private async apply(request: BulkRequest, sagaId: string): Promise<'applied' | 'skipped' | { error: string }> {
    try {
      if (request.operation === 'cancel') await this.client.cancel(sagaId, request.reason);
      else if (request.operation === 'retry') await this.client.retry(sagaId, request.note);
      else await this.client.resolve(sagaId, request.note ?? '');
      return 'applied';
    } catch (error) {
      // Not found: removed by the reaper since it was listed.
      if (
        error instanceof SagaStateConflictError ||
        error instanceof SagaPastPivotError ||
        error instanceof SagaNotFoundError
      ) {
        return 'skipped';
      }
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }

  private async save(id: string, fields: Record<string, string | number>): Promise<void> {
    await guardRedis(() => this.redis.hset(this.keys.bulk(id), { ...fields, updatedAt: new Date().toISOString() }));
  }
}

/** @throws BulkOperationInvalidError */
function checkRequest({ operation, filter, reason, note }: BulkRequest): void {
  const fields: InputFieldError[] = [];
  if (!(BULK_OPERATION_KINDS as readonly string[]).includes(operation)) {
    fields.push({ field: 'operation', messages: [`operation must be one of ${BULK_OPERATION_KINDS.join(', ')}`] });
  }
  const { name, status, key, tags, from, to } = filter;
  const tagEntries = Object.entries(tags ?? {});
  if ([name, status, key, from, to].every((value) => value === undefined) && tagEntries.length === 0) {
    fields.push({
      field: 'filter',
      messages: [
        'filter must set at least one of name, status, key, tags, from, to (a bulk operation never acts on all)',
      ],
    });
  }
  for (const [tag, value] of tagEntries) {
    if (!TAG_NAME_PATTERN.test(tag) || typeof value !== 'string' || !EVENT_KEY_PATTERN.test(value)) {
      fields.push({
        field: `filter.tags.${tag}`,
        messages: [`tag names must match ${TAG_NAME_PATTERN}, values ${EVENT_KEY_PATTERN}`],
      });
    }
  }
  if (operation === 'resolve' && !note) fields.push({ field: 'note', messages: ['note is required to resolve'] });
  if (operation === 'cancel' && note !== undefined) {
    fields.push({ field: 'note', messages: ['a cancel takes a reason, not a note'] });
  }
  if (operation !== 'cancel' && reason !== undefined) {
    fields.push({ field: 'reason', messages: [`a ${operation} takes a note, not a reason`] });
  }
  if (fields.length > 0) throw new BulkOperationInvalidError(fields);
}

/** The request as recorded (and hashed for its idempotency key): times as ISO strings, no unset fields. */
function toRecordRequest({ operation, filter, reason, note }: BulkRequest): RecordedRequest {
  const recorded: BulkOperation['filter'] = {};
  if (filter.name !== undefined) recorded.name = filter.name;
  if (filter.status !== undefined) recorded.status = filter.status;
  if (filter.key !== undefined) recorded.key = filter.key;
  if (filter.tags !== undefined && Object.keys(filter.tags).length > 0) recorded.tags = { ...filter.tags };
  if (filter.from !== undefined) recorded.from = filter.from.toISOString();
  if (filter.to !== undefined) recorded.to = filter.to.toISOString();
  return { operation, filter: recorded, ...(reason !== undefined && { reason }), ...(note !== undefined && { note }) };
}

/** The hash fields of a record but its request. */
function counters(operation: BulkOperation): Record<string, string | number> {
  const { status, matched, applied, skipped, failed, createdAt, updatedAt } = operation;
  return { status, matched, applied, skipped, failed, createdAt, updatedAt };
}

function toOperation(id: string, hash: Record<string, string>): BulkOperation {
  const request = JSON.parse(hash.request) as RecordedRequest;
  return {
    id,
    ...request,
    status: hash.status as BulkOperationStatus,
    matched: Number(hash.matched),
    applied: Number(hash.applied),
    skipped: Number(hash.skipped),
    failed: Number(hash.failed),
    ...(hash.lastError !== undefined && { lastError: hash.lastError }),
    createdAt: hash.createdAt,
    updatedAt: hash.updatedAt,
    ...(hash.finishedAt !== undefined && { finishedAt: hash.finishedAt }),
  };
}
