import type { SagaPage, SagaRecord } from '@sagaflow/core';
import { readSaga, transfer, waitForSaga } from '../faults/transfer.fixture';
import { SagaflowSystem } from '../support/apps';

describe('tags and reruns over the HTTP API', () => {
  let system: SagaflowSystem;
  beforeAll(async () => {
    system = await SagaflowSystem.start();
  });
  afterAll(() => system.stop());

  const start = (path: string, input: object, headers: Record<string, string> = {}) =>
    system.request<{ id: string; created: boolean; errors?: { field: string }[] }>('POST', path, input, headers);
  const listIds = async (query: string) =>
    (await system.request<SagaPage>('GET', `/sagas?${query}`)).body.items.map((saga) => saga.id);

  describe('when a saga is started with tags', () => {
    it('keeps them in its record and finds it by one tag or by several', async () => {
      const customer = `c-${Date.now()}`;
      const eu = await start(`/sagas/transfer?tag=customerId:${customer}&tag=region:eu`, transfer());
      const us = await start(`/sagas/transfer?tag=customerId:${customer}&tag=region:us`, transfer());
      const other = await start('/sagas/transfer?tag=customerId:someone-else', transfer());
      expect([eu.status, us.status, other.status]).toEqual([202, 202, 202]);

      expect((await readSaga(system, eu.body.id)).tags).toEqual({ customerId: customer, region: 'eu' });
      expect(await listIds(`tag=customerId:${customer}`)).toEqual([us.body.id, eu.body.id]);
      expect(await listIds(`tag=customerId:${customer}&tag=region:eu`)).toEqual([eu.body.id]);
      await Promise.all([us, eu].map((started) => waitForSaga(system, started.body.id)));
      expect(await listIds(`tag=customerId:${customer}&name=transfer&status=completed&limit=5`)).toEqual([
        us.body.id,
        eu.body.id,
      ]);
    });

    it('refuses a malformed tag with 400 naming `tag`, and starts nothing', async () => {
      const before = await listIds('name=transfer&limit=100');
      for (const query of ['tag=customerId', 'tag=1bad:x', 'tag=customerId:has%20space']) {
        const refused = await start(`/sagas/transfer?${query}`, transfer());
        expect(refused.status).toBe(400);
        expect(refused.body.errors?.map((error) => error.field)).toEqual(['tag']);
      }
      const listed = await system.request<{ errors: { field: string }[] }>('GET', '/sagas?tag=nocolon');
      expect(listed.status).toBe(400);
      expect(listed.body.errors.map((error) => error.field)).toEqual(['tag']);
      expect(await listIds('name=transfer&limit=100')).toEqual(before);
    });
  });

  describe('when an ended saga is rerun', () => {
    it('starts a new saga with its input and tags, linked to it, once per Idempotency-Key', async () => {
      const input = transfer();
      const first = await start('/sagas/transfer?tag=customerId:rerun-1', input);
      await waitForSaga(system, first.body.id);

      const rerun = await start(`/sagas/${first.body.id}/rerun`, {}, { 'Idempotency-Key': `rerun-${first.body.id}` });
      expect(rerun.status).toBe(202);
      expect(rerun.body.id).not.toBe(first.body.id);
      const again = await start(`/sagas/${first.body.id}/rerun`, {}, { 'Idempotency-Key': `rerun-${first.body.id}` });
      expect(again).toMatchObject({ status: 200, body: { id: rerun.body.id, created: false } });

      const record: SagaRecord = await waitForSaga(system, rerun.body.id);
      expect(record).toMatchObject({
        status: 'completed',
        input,
        tags: { customerId: 'rerun-1' },
        rerunOf: first.body.id,
      });
      expect(await listIds('tag=customerId:rerun-1')).toEqual([rerun.body.id, first.body.id]);
    });

    it('answers 409 for a saga that has not ended, and 404 for an unknown id', async () => {
      const running = await start('/sagas/transfer', transfer({ reference: 'slow' }));
      const refused = await system.request<{ code: string }>('POST', `/sagas/${running.body.id}/rerun`, {});
      expect(refused).toMatchObject({ status: 409, body: { code: 'SAGA.STATE_CONFLICT' } });
      const unknown = await system.request('POST', '/sagas/01a23b61-72cb-709a-9db5-62f3f4466d1d/rerun', {});
      expect(unknown.status).toBe(404);
      await waitForSaga(system, running.body.id);
    });
  });
});
