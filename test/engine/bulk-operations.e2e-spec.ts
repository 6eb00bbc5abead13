import {
  BulkOperationInvalidError,
  BulkOperationNotFoundError,
  BulkOperations,
  defineSaga,
  type BulkOperation,
} from '@sagaflow/core';
import { waitFor } from '../support/wait-for';
import { Engine, Input, recordingStep } from './engine.fixture';

const fast = { retry: { attempts: 1, backoff: 10 }, compensation: { retry: { attempts: 1, backoff: 10 } } };

/** reserve → a long sleep: the saga waits until it is cancelled. */
const held = (name: string) =>
  defineSaga(name, { input: Input }).step('reserve', recordingStep([], 'reserve'), fast).sleep('hold', '1h').build();

describe('BulkOperations', () => {
  let engine: Engine;
  let bulk: BulkOperations;

  beforeEach(() => {
    engine = new Engine([held('hold'), held('other')]);
    bulk = new BulkOperations(engine.redis, engine.store.keys, engine.client, { batchSize: 10 });
  });
  afterEach(async () => {
    await bulk.close();
    await engine.close();
  });

  async function startWaiting(name: string, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push((await engine.client.start(name, { orderId: `${name}-${i}` })).id);
    await waitFor(
      () => Promise.all(ids.map((id) => engine.client.get(id))),
      (sagas) => sagas.every((saga) => saga.status === 'waiting'),
      { timeoutMs: 60_000 },
    );
    return ids;
  }

  const finished = (id: string): Promise<BulkOperation> =>
    waitFor(
      () => bulk.get(id),
      (operation) => operation.status !== 'running',
      { timeoutMs: 60_000 },
    );

  describe('when many waiting sagas match the filter', () => {
    it('cancels them in batches, counts each, and leaves the sagas outside the filter alone', async () => {
      const held = await startWaiting('hold', 25);
      const others = await startWaiting('other', 3);

      const started = await bulk.start({ operation: 'cancel', filter: { name: 'hold' }, reason: 'Bulk test.' });
      expect(started).toMatchObject({ status: 'running', created: true, filter: { name: 'hold' } });
      expect(await finished(started.id)).toMatchObject({
        status: 'completed',
        matched: 25,
        applied: 25,
        skipped: 0,
        failed: 0,
      });

      const sagas = await waitFor(
        () => Promise.all(held.map((id) => engine.client.get(id))),
        (all) => all.every((saga) => saga.status === 'compensated'),
        { timeoutMs: 60_000 },
      );
      expect(sagas[0].cancellation).toMatchObject({ reason: 'Bulk test.' });
      for (const id of others) expect((await engine.client.get(id)).status).toBe('waiting');
    });

    it('cancels only the sagas started with every tag of the filter', async () => {
      const tagged = async (orderId: string, tags: Record<string, string>) =>
        (await engine.client.start('hold', { orderId }, { tags })).id;
      const matching = [
        await tagged('t-1', { customerId: 'c-1', region: 'eu' }),
        await tagged('t-2', { customerId: 'c-1', region: 'eu' }),
      ];
      const others = [
        await tagged('t-3', { customerId: 'c-1', region: 'us' }),
        await tagged('t-4', { customerId: 'c-2' }),
      ];
      await waitFor(
        () => Promise.all([...matching, ...others].map((id) => engine.client.get(id))),
        (sagas) => sagas.every((saga) => saga.status === 'waiting'),
        { timeoutMs: 60_000 },
      );

      const filter = { tags: { customerId: 'c-1', region: 'eu' } };
      const started = await bulk.start({ operation: 'cancel', filter });
      expect(started.filter).toEqual(filter);
      expect(await finished(started.id)).toMatchObject({ status: 'completed', matched: 2, applied: 2 });
      for (const id of matching) expect((await engine.waitUntilFinished(id)).status).toBe('compensated');
      for (const id of others) expect((await engine.client.get(id)).status).toBe('waiting');
    });

    it('applies to none and skips all when the same request runs again', async () => {
      await startWaiting('hold', 12);
      const request = { operation: 'cancel', filter: { name: 'hold' } } as const;
      expect(await finished((await bulk.start(request)).id)).toMatchObject({ matched: 12, applied: 12 });

      expect(await finished((await bulk.start(request)).id)).toMatchObject({
        status: 'completed',
        matched: 12,
        applied: 0,
        skipped: 12,
        failed: 0,
      });
      expect((await bulk.list()).map((operation) => operation.applied)).toEqual([0, 12]);
    });

    it('answers the first operation for a repeat with the same idempotency key', async () => {
      await startWaiting('hold', 2);
      const request = { operation: 'cancel', filter: { name: 'hold', status: 'waiting' } } as const;
      const first = await bulk.start(request, 'bulk-key-1');
      const again = await bulk.start(request, 'bulk-key-1');
      expect(again).toMatchObject({ id: first.id, created: false });
      await finished(first.id);
      expect(await bulk.list()).toHaveLength(1);
    });
  });

  describe('when the request is invalid', () => {
    it('refuses an empty filter, an unknown operation and a resolve without note, recording nothing', async () => {
      const refused = await bulk.start({ operation: 'resolve' as 'cancel', filter: {} }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(BulkOperationInvalidError);
      expect((refused as BulkOperationInvalidError).fields.map((field) => field.field)).toEqual(['filter', 'note']);
      await expect(bulk.start({ operation: 'drop' as 'cancel', filter: { name: 'hold' } })).rejects.toMatchObject({
        fields: [{ field: 'operation' }],
      });
      await expect(
        bulk.start({ operation: 'cancel', filter: { tags: { customerId: 'has spaces', '9lives': 'x' } } }),
      ).rejects.toMatchObject({ fields: [{ field: 'filter.tags.customerId' }, { field: 'filter.tags.9lives' }] });
      expect(await bulk.list()).toEqual([]);
    });

    it('answers BulkOperationNotFoundError for an unknown id', async () => {
      await expect(bulk.get('00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(BulkOperationNotFoundError);
      await expect(bulk.get('not-an-id')).rejects.toBeInstanceOf(BulkOperationNotFoundError);
    });
  });
});
