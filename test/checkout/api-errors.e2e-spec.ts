import type { SagaPage } from '@sagaflow/core';
import { SagaflowSystem } from '../support/apps';
import { order } from './order.fixture';

interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  errors?: { field: string; messages: string[] }[];
}

describe('saga API answers', () => {
  let system: SagaflowSystem;

  beforeAll(async () => {
    system = await SagaflowSystem.start({ workers: 0 });
  });
  afterAll(() => system.stop());

  describe('POST /sagas/:name', () => {
    it('answers 400 naming each field at fault, and starts nothing', async () => {
      const bad = order({ items: [{ sku: 'SKU-MUG', quantity: 0, priceCents: -1 }], payment: {} });
      const { status, body } = await system.request<ErrorBody>('POST', '/sagas/checkout', bad);

      expect(status).toBe(400);
      expect(body.code).toBe('SAGA.INPUT_INVALID');
      expect(body.errors?.map((error) => error.field).sort()).toEqual(
        ['items.0.priceCents', 'items.0.quantity', 'payment.cardNumber'].sort(),
      );
      expect((await system.request<SagaPage>('GET', '/sagas')).body.items).toEqual([]);
    });

    it('answers 400 for a field the input does not declare', async () => {
      const { status, body } = await system.request<ErrorBody>('POST', '/sagas/checkout', order({ coupon: 'FREE' }));
      expect(status).toBe(400);
      expect(body.errors).toEqual([{ field: 'coupon', messages: ['property coupon should not exist'] }]);
    });

    it('answers 400 when the body is not a JSON object', async () => {
      const { status, body } = await system.request<ErrorBody>('POST', '/sagas/checkout', [1, 2]);
      expect(status).toBe(400);
      expect(body.code).toBe('SAGA.INPUT_INVALID');
    });

    it('answers 404 for a saga name nobody registered', async () => {
      const { status, body } = await system.request<ErrorBody>('POST', '/sagas/refund', order());
      expect(status).toBe(404);
      expect(body).toMatchObject({
        code: 'SAGA.DEFINITION_NOT_FOUND',
        message: 'No saga named "refund" is registered.',
      });
    });
  });

  describe('GET /sagas/:id', () => {
    it.each(['0190a0d2-0000-7000-8000-000000000000', 'not-an-id'])('answers 404 for %s', async (id) => {
      const { status, body } = await system.request<ErrorBody>('GET', `/sagas/${id}`);
      expect(status).toBe(404);
      expect(body.code).toBe('SAGA.NOT_FOUND');
    });
  });

  describe('GET /demo/loyalty/:memberId', () => {
    it('answers 404 for a member the loyalty programme has never heard of', async () => {
      const { status, body } = await system.request<ErrorBody>('GET', '/demo/loyalty/M-000');
      expect(status).toBe(404);
      expect(body).toEqual({
        statusCode: 404,
        code: 'DEMO.NOT_FOUND',
        message: 'The loyalty programme has never heard of member "M-000".',
      });
    });
  });

  describe('GET /sagas', () => {
    it('lists newest first and pages with nextCursor', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        ids.push((await system.request<{ id: string }>('POST', '/sagas/checkout', order())).body.id);
      }
      const first = await system.request<SagaPage>('GET', '/sagas?name=checkout&limit=2');
      expect(first.status).toBe(200);
      expect(first.body.items.map((item) => item.id)).toEqual([ids[2], ids[1]]);
      const second = await system.request<SagaPage>('GET', `/sagas?limit=2&cursor=${first.body.nextCursor}`);
      expect(second.body.items.map((item) => item.id)).toEqual([ids[0]]);
      const running = await system.request<SagaPage>('GET', '/sagas?status=running');
      expect(running.body.items).toHaveLength(3);
    });

    it('answers 400 for a bad filter, naming it', async () => {
      const { status, body } = await system.request<ErrorBody>('GET', '/sagas?status=lost&limit=1000');
      expect(status).toBe(400);
      expect(body.errors?.map((error) => error.field).sort()).toEqual(['limit', 'status']);
    });
  });
});
