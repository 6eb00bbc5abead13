import { IsString } from 'class-validator';
import { InvalidSagaDefinitionError, PermanentError, SagaInputInvalidError, defineSaga } from '@sagaflow/core';
import { waitFor } from '../support/wait-for';
import { Engine } from './engine.fixture';

class PayoutInput {
  @IsString()
  payoutId!: string;

  @IsString()
  merchantId!: string;
}

const once = { retry: { attempts: 1, backoff: 10 }, compensation: { retry: { attempts: 1, backoff: 10 } } };
const refuse = () => Promise.reject(new PermanentError('refused'));

/**
 * A first step that waits for the test to let each payout go, so that which sagas run at once is decided by the
 * engine alone, not by timing. `started` lists the payouts whose first step began, in order.
 */
class Gates {
  readonly started: string[] = [];
  private readonly waiting = new Map<string, () => void>();
  private readonly opened = new Set<string>();

  async pass(payoutId: string): Promise<void> {
    this.started.push(payoutId);
    if (!this.opened.has(payoutId)) await new Promise<void>((resolve) => this.waiting.set(payoutId, resolve));
  }

  release(...payoutIds: string[]): void {
    for (const id of payoutIds) {
      this.opened.add(id);
      this.waiting.get(id)?.();
    }
  }
}

/**
 * A payout per merchant at a time (or `limit`): `send` waits at its gate; `confirm` fails for good when `failing`,
 * and then `send`'s compensation fails too when `failing` is `'compensation'` (the saga parks).
 */
function payoutSaga(gates: Gates, { limit, failing }: { limit?: number; failing?: 'step' | 'compensation' } = {}) {
  return defineSaga('payout', {
    input: PayoutInput,
    concurrency: { key: (input) => input.merchantId, ...(limit && { limit }) },
  })
    .step(
      'send',
      {
        run: async ({ input }: { input: PayoutInput }) => gates.pass(input.payoutId),
        compensate: failing === 'compensation' ? refuse : async () => undefined,
      },
      once,
    )
    .step('confirm', { run: failing ? refuse : async () => 'ok' }, once)
    .build();
}

describe('concurrency keys', () => {
  let engine: Engine;
  let gates: Gates;
  beforeEach(() => (gates = new Gates()));
  afterEach(() => engine.close());

  const start = async (payoutId: string, merchantId: string) =>
    (await engine.client.start('payout', { payoutId, merchantId })).id;
  const status = async (id: string) => (await engine.client.get(id)).status;
  const started = (...payoutIds: string[]) =>
    waitFor(
      async () => gates.started,
      (s) => payoutIds.every((p) => s.includes(p)),
    );

  it('runs one saga of a key at a time and queues the others in start order, while other keys run', async () => {
    engine = new Engine(payoutSaga(gates));
    const first = await engine.client.start('payout', { payoutId: 'a1', merchantId: 'm-a' });
    const second = await engine.client.start('payout', { payoutId: 'a2', merchantId: 'm-a' });
    const third = await start('a3', 'm-a');
    const other = await start('b1', 'm-b');
    expect([first.status, second.status]).toEqual(['running', 'queued']);

    await started('a1', 'b1');
    expect(await Promise.all([second.id, third].map(status))).toEqual(['queued', 'queued']);
    expect((await engine.client.counts('payout')).queued).toBe(2);

    gates.release('b1');
    expect((await engine.waitUntilFinished(other)).status).toBe('completed');
    expect(gates.started).toEqual(['a1', 'b1']);

    gates.release('a1');
    expect((await engine.waitUntilFinished(first.id)).status).toBe('completed');
    await started('a2');
    expect(await status(third)).toBe('queued');

    gates.release('a2', 'a3');
    for (const id of [second.id, third]) expect((await engine.waitUntilFinished(id)).status).toBe('completed');
    expect(gates.started).toEqual(['a1', 'b1', 'a2', 'a3']);

    const admitted = await engine.client.get(second.id);
    expect(admitted.concurrency).toEqual({ key: 'm-a', limit: 1, admittedAt: expect.any(String) });
    expect(admitted.history.map((entry) => entry.type).slice(0, 3)).toEqual([
      'saga.started',
      'saga.queued',
      'saga.admitted',
    ]);
    expect((await engine.client.counts('payout')).queued).toBe(0);
  });

  it('lets `limit` sagas of a key run at once', async () => {
    engine = new Engine(payoutSaga(gates, { limit: 2 }));
    const ids = [await start('a1', 'm-a'), await start('a2', 'm-a'), await start('a3', 'm-a')];
    await started('a1', 'a2');
    expect(await status(ids[2])).toBe('queued');

    gates.release('a2');
    await engine.waitUntilFinished(ids[1]);
    await started('a3');
    expect(await status(ids[0])).toBe('running');
    gates.release('a1', 'a3');
    for (const id of ids) expect((await engine.waitUntilFinished(id)).status).toBe('completed');
  });

  it('ends a cancelled queued saga compensated without running it, and admits the next one', async () => {
    engine = new Engine(payoutSaga(gates));
    const [first, cancelled, next] = [await start('a1', 'm-a'), await start('a2', 'm-a'), await start('a3', 'm-a')];
    await started('a1');

    expect(await engine.client.cancel(cancelled, 'customer asked')).toMatchObject({ status: 'compensated' });
    const record = await engine.client.get(cancelled);
    expect(record.steps.map((step) => step.status)).toEqual(['pending', 'pending']);
    expect(record.history.map((entry) => entry.type)).toEqual([
      'saga.started',
      'saga.queued',
      'saga.cancelled',
      'saga.compensated',
    ]);

    gates.release('a1', 'a3');
    for (const id of [first, next]) expect((await engine.waitUntilFinished(id)).status).toBe('completed');
    expect(gates.started).toEqual(['a1', 'a3']);
  });

  it('frees the slot of a saga that compensated', async () => {
    engine = new Engine(payoutSaga(gates, { failing: 'step' }));
    const [first, next] = [await start('a1', 'm-a'), await start('a2', 'm-a')];
    gates.release('a1', 'a2');
    expect((await engine.waitUntilFinished(first)).status).toBe('compensated');
    expect((await engine.waitUntilFinished(next)).status).toBe('compensated');
    expect(gates.started).toEqual(['a1', 'a2']);
  });

  it('keeps the slot of a saga parked compensation_failed until an operator resolves it', async () => {
    engine = new Engine(payoutSaga(gates, { failing: 'compensation' }));
    const [parked, next] = [await start('a1', 'm-a'), await start('a2', 'm-a')];
    gates.release('a1', 'a2');
    expect((await engine.waitUntilFinished(parked)).status).toBe('compensation_failed');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await status(next)).toBe('queued');

    await engine.client.resolve(parked, 'paid back by hand');
    expect((await engine.waitUntilFinished(next)).status).toBe('compensation_failed');
    expect(gates.started).toEqual(['a1', 'a2']);
  });

  it('answers the queued saga to a repeated start with the same idempotency key', async () => {
    engine = new Engine(payoutSaga(gates));
    await start('a1', 'm-a');
    const input = { payoutId: 'a2', merchantId: 'm-a' };
    const queued = await engine.client.start('payout', input, { idempotencyKey: 'payout-a2' });
    const repeat = await engine.client.start('payout', input, { idempotencyKey: 'payout-a2' });
    expect(repeat).toEqual({ id: queued.id, name: 'payout', status: 'queued', created: false });
    gates.release('a1', 'a2');
    expect((await engine.waitUntilFinished(queued.id)).status).toBe('completed');
  });

  it('gives an admitted saga its first job in the sweep when the process that admitted it died before adding it', async () => {
    engine = new Engine(payoutSaga(gates), { startWorkers: false });
    const [first, admitted] = [await start('a1', 'm-a'), await start('a2', 'm-a')];
    // The first saga's job is lost and the store's cancel ends it, admitting the second, but nothing adds that
    // one's job: as if the process had died right after the transition.
    await engine.queueOf('payout', first).drain();
    await engine.store.cancel(first, 'crash');
    expect(await status(first)).toBe('compensated');
    expect(await status(admitted)).toBe('running');

    engine.startWorkers();
    expect(await engine.sweeper.sweep()).toMatchObject({ redriven: 1 });
    gates.release('a2');
    expect((await engine.waitUntilFinished(admitted)).status).toBe('completed');
    expect(gates.started).toEqual(['a2']);
  });

  it('refuses a start whose concurrency key is not a valid key, writing nothing', async () => {
    // No workers: the start is refused before anything could run.
    engine = new Engine(payoutSaga(gates), { startWorkers: false });
    const error = await engine.client.start('payout', { payoutId: 'a1', merchantId: 'has spaces' }).catch((e) => e);
    expect(error).toBeInstanceOf(SagaInputInvalidError);
    expect(error.fields).toEqual([{ field: 'concurrency', messages: [expect.stringMatching(/concurrency key/)] }]);
    expect((await engine.client.list({ name: 'payout', limit: 10 })).items).toEqual([]);
  });
});

describe('a concurrency limit', () => {
  it('refuses a definition whose limit is not a positive integer', () => {
    const define = (limit: number) =>
      defineSaga('payout', { input: PayoutInput, concurrency: { key: (input) => input.merchantId, limit } });
    expect(() => define(0)).toThrow(InvalidSagaDefinitionError);
    expect(() => define(1.5)).toThrow(/concurrency.limit must be a positive integer/);
  });
});
