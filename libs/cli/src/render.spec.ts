import type { SagaRecord } from '@sagaflow/core';
import { renderApiError, renderChange, renderPage, renderPublish, renderSaga } from './render';

const saga: SagaRecord = {
  id: 'saga-1',
  name: 'checkout',
  version: 1,
  status: 'waiting',
  input: {},
  createdAt: '2026-01-01T10:00:00.000Z',
  updatedAt: '2026-01-01T10:00:01.000Z',
  waitingFor: { step: 'awaitDelivery', event: 'shipment.delivered', key: 'order-1', until: '2026-01-04T10:00:00.000Z' },
  steps: [
    { name: 'chargePayment', status: 'succeeded', attempts: 2 },
    { name: 'awaitDelivery', status: 'waiting', attempts: 0 },
  ],
  history: [
    { at: 't1', type: 'saga.started' },
    {
      at: 't2',
      type: 'step.failed',
      step: 'chargePayment',
      attempt: 1,
      error: { name: 'Error', code: 'PAYMENT.TIMEOUT', message: 'slow' },
      willRetry: true,
    },
    { at: 't3', type: 'step.succeeded', step: 'chargePayment', attempt: 2 },
  ],
};

describe('renderSaga', () => {
  it('shows the saga, what it waits for, its steps and its history', () => {
    const text = renderSaga(saga);
    expect(text).toMatch(/^Status: +waiting$/m);
    expect(text).toMatch(
      /^Waiting for: +event shipment\.delivered with key order-1 at step awaitDelivery, until 2026-01-04T10:00:00\.000Z$/m,
    );
    expect(text).not.toMatch(/^Finished:/m);
    expect(text).toMatch(/^chargePayment +succeeded +2$/m);
    expect(text).toMatch(/^t2 +step\.failed +chargePayment +1 +PAYMENT\.TIMEOUT: slow; will retry$/m);
  });

  describe('when the history is longer than the limit', () => {
    it('shows its last entries and says how to see more', () => {
      const text = renderSaga(saga, 1);
      expect(text).toMatch(/History \(last 1 of 3; --history <n> for more\):/);
      expect(text).not.toMatch(/saga\.started/);
    });
  });
});

describe('renderPage', () => {
  it('prints the cursor of the next page when there is one', () => {
    const summary = { ...saga, status: 'completed' as const };
    expect(renderPage({ items: [summary], nextCursor: 'saga-0' })).toMatch(/\n\nNext page: --cursor saga-0$/);
    expect(renderPage({ items: [] })).toMatch(/0 sagas, no more pages\.$/);
  });
});

describe('renderPublish', () => {
  it('lists the sagas started, resumed and the ones that refused the event with their fields', () => {
    const text = renderPublish({
      eventId: 'e-1',
      started: ['s-1'],
      resumed: [],
      rejected: [{ saga: 'loyalty', reason: 'invalid input', errors: [{ field: 'memberId', messages: ['bad'] }] }],
    });
    expect(text).toMatch(/^Event e-1: 1 started, 0 resumed, 1 rejected\.$/m);
    expect(text).toMatch(/^started +s-1$/m);
    expect(text).toMatch(/^rejected +loyalty +invalid input; memberId: bad$/m);
  });
});

describe('renderChange', () => {
  it('says whether start created the saga or found it by its idempotency key', () => {
    const started = { id: 's-1', name: 'transfer', status: 'running' as const };
    expect(renderChange('start', { ...started, created: true })).toBe('Started: transfer s-1, status running');
    expect(renderChange('start', { ...started, created: false })).toMatch(/^Already started/);
    expect(renderChange('cancel', { ...started, status: 'compensating' })).toMatch(/^Cancelling: /);
  });
});

describe('renderApiError', () => {
  it('prints the status, code and message, then each invalid field', () => {
    expect(
      renderApiError(400, {
        statusCode: 400,
        code: 'SAGA.INPUT_INVALID',
        message: 'The input is not valid.',
        errors: [{ field: 'amountCents', messages: ['must be positive', 'must be an integer'] }],
      }),
    ).toBe(
      'Error 400 SAGA.INPUT_INVALID: The input is not valid.\n  amountCents: must be positive; must be an integer',
    );
  });
});
