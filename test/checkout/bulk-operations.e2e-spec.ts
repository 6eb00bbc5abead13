import type { BulkOperation, SagaRecord, StartResult } from '@sagaflow/core';
import { SagaflowSystem } from '../support/apps';
import { waitFor } from '../support/wait-for';
import { order } from './order.fixture';

interface ErrorBody {
  statusCode: number;
  code: string;
  errors?: { field: string; messages: string[] }[];
}

describe('bulk operations through the API', () => {
  let system: SagaflowSystem;

  // No workers: the checkouts stay running at their first step, and once cancelled stay compensating.
  beforeAll(async () => {
    system = await SagaflowSystem.start({ workers: 0 });
  });
  afterAll(() => system.stop());

  const finished = (id: string) =>
    waitFor(
      () => system.request<BulkOperation>('GET', `/sagas/bulk/${id}`),
      ({ body }) => body.status !== 'running',
      { timeoutMs: 60_000 },
    ).then(({ body }) => body);

  describe('POST /sagas/bulk', () => {
    it('answers 202 at once, cancels every match, and a repeat applies to none', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push((await system.request<StartResult>('POST', '/sagas/checkout', order())).body.id);
      }
      const request = { operation: 'cancel', filter: { name: 'checkout', status: 'running' }, reason: 'Bulk API.' };

      const started = await system.request<BulkOperation>('POST', '/sagas/bulk', request);
      expect(started.status).toBe(202);
      expect(started.body).toMatchObject({ operation: 'cancel', filter: request.filter, status: 'running' });
      expect(await finished(started.body.id)).toMatchObject({
        status: 'completed',
        matched: 5,
        applied: 5,
        skipped: 0,
        failed: 0,
      });
      for (const id of ids) {
        const saga = (await system.request<SagaRecord>('GET', `/sagas/${id}`)).body;
        expect(saga.cancellation).toMatchObject({ reason: 'Bulk API.' });
      }

      const again = await system.request<BulkOperation>('POST', '/sagas/bulk', {
        ...request,
        filter: { name: 'checkout' },
      });
      expect(await finished(again.body.id)).toMatchObject({ matched: 5, applied: 0, skipped: 5, failed: 0 });

      const listed = await system.request<{ items: BulkOperation[] }>('GET', '/sagas/bulk');
      expect(listed.body.items.map((operation) => operation.id).slice(0, 2)).toEqual([again.body.id, started.body.id]);
    });

    it('answers 200 with the first operation for a repeat with the same Idempotency-Key, 409 for another request', async () => {
      const request = { operation: 'retry', filter: { status: 'compensation_failed' } };
      const headers = { 'idempotency-key': 'bulk-retry-1' };
      const first = await system.request<BulkOperation>('POST', '/sagas/bulk', request, headers);
      const repeat = await system.request<BulkOperation>('POST', '/sagas/bulk', request, headers);
      expect([first.status, repeat.status]).toEqual([202, 200]);
      expect(repeat.body.id).toBe(first.body.id);

      const other = await system.request<ErrorBody>(
        'POST',
        '/sagas/bulk',
        { ...request, filter: { status: 'waiting' } },
        headers,
      );
      expect(other.status).toBe(409);
    });

    it.each([
      ['an empty filter', { operation: 'cancel', filter: {} }, 'filter'],
      ['no filter', { operation: 'cancel' }, 'filter'],
      ['an unknown operation', { operation: 'delete', filter: { name: 'checkout' } }, 'operation'],
      ['a bad status', { operation: 'cancel', filter: { status: 'stuck' } }, 'filter.status'],
      ['a bad date', { operation: 'cancel', filter: { from: 'yesterday' } }, 'filter.from'],
      ['a filter the listing does not take', { operation: 'cancel', filter: { limit: 5 } }, 'filter.limit'],
      ['a resolve without note', { operation: 'resolve', filter: { status: 'compensation_failed' } }, 'note'],
      ['a cancel with a note', { operation: 'cancel', filter: { name: 'checkout' }, note: 'x' }, 'note'],
      ['an empty reason', { operation: 'cancel', filter: { name: 'checkout' }, reason: '' }, 'reason'],
    ])('answers 400 naming the field for %s, and records nothing', async (_case, body, field) => {
      const before = (await system.request<{ items: BulkOperation[] }>('GET', '/sagas/bulk')).body.items.length;
      const { status, body: error } = await system.request<ErrorBody>('POST', '/sagas/bulk', body);
      expect(status).toBe(400);
      expect(error.errors?.map((entry) => entry.field)).toContain(field);
      expect((await system.request<{ items: BulkOperation[] }>('GET', '/sagas/bulk')).body.items).toHaveLength(before);
    });
  });

  describe('GET /sagas/bulk/:id', () => {
    it.each(['00000000-0000-4000-8000-000000000000', 'not-an-id'])('answers 404 for %s', async (id) => {
      const { status, body } = await system.request<ErrorBody>('GET', `/sagas/bulk/${id}`);
      expect(status).toBe(404);
      expect(body.code).toBe('SAGA.BULK_NOT_FOUND');
    });
  });
});
