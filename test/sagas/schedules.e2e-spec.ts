import type { SagaPage, Schedule } from '@sagaflow/core';
import { transfer } from '../faults/transfer.fixture';
import { SagaflowSystem } from '../support/apps';
import { waitFor } from '../support/wait-for';

interface ErrorAnswer {
  code: string;
  errors?: { field: string }[];
}

describe('schedules over the HTTP API', () => {
  let system: SagaflowSystem;
  beforeAll(async () => {
    system = await SagaflowSystem.start();
  });
  afterAll(() => system.stop());

  const put = (id: string, body: object) => system.request<Schedule & ErrorAnswer>('PUT', `/schedules/${id}`, body);
  const startedBy = async (id: string) =>
    (await system.request<SagaPage>('GET', `/sagas?tag=scheduleId:${id}&limit=100`)).body.items;

  it('creates a schedule whose runs the workers start, lists it, pauses, replaces and removes it', async () => {
    const settings = { saga: 'transfer', input: transfer(), every: '1s', tags: { team: 'ops' } };
    const created = await put('every-second', settings);
    expect(created).toMatchObject({ status: 201, body: { id: 'every-second', saga: 'transfer', paused: false } });
    expect(typeof created.body.nextRunAt).toBe('string');

    const runs = await waitFor(
      () => startedBy('every-second'),
      (items) => items.length >= 1,
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    const saga = await system.request<{ tags: Record<string, string> }>('GET', `/sagas/${runs[0].id}`);
    expect(saga.body.tags).toEqual({ team: 'ops', scheduleId: 'every-second' });
    expect((await system.request<Schedule[]>('GET', '/schedules')).body.map((s) => s.id)).toContain('every-second');

    expect(await system.request('POST', '/schedules/every-second/pause', {})).toMatchObject({
      status: 200,
      body: { paused: true },
    });
    expect(await put('every-second', { ...settings, every: '1h' })).toMatchObject({
      status: 200,
      body: { every: '1h', paused: true },
    });
    expect(await system.request('DELETE', '/schedules/every-second')).toMatchObject({ status: 204 });
    expect(await system.request<ErrorAnswer>('GET', '/schedules/every-second')).toMatchObject({
      status: 404,
      body: { code: 'SAGA.SCHEDULE_NOT_FOUND' },
    });
  });

  it('refuses bad settings with 400 naming the field, and keeps nothing', async () => {
    const valid = { saga: 'transfer', input: transfer(), every: '1h' };
    const cases: [object, string][] = [
      [{ ...valid, saga: undefined }, 'saga'],
      [{ ...valid, input: 'x' }, 'input'],
      [{ ...valid, every: 'often' }, 'every'],
      [{ ...valid, every: '10ms' }, 'every'],
      [{ saga: 'transfer', input: transfer(), cron: '61 * * * *' }, 'cron'],
      [{ saga: 'transfer', input: transfer(), cron: '0 3 * * *', tz: 'Mars/Base' }, 'tz'],
      [{ ...valid, cron: '0 3 * * *' }, 'every'],
    ];
    for (const [body, field] of cases) {
      const refused = await put('refused', body);
      expect({ field, status: refused.status }).toEqual({ field, status: 400 });
      expect(refused.body.errors?.map((error) => error.field)).toContain(field);
    }
    const badInput = await put('refused', { ...valid, input: { amountCents: -1 } });
    expect(badInput).toMatchObject({ status: 400, body: { code: 'SAGA.INPUT_INVALID' } });
    const unknown = await put('refused', { ...valid, saga: 'no-such-saga' });
    expect(unknown).toMatchObject({ status: 404, body: { code: 'SAGA.DEFINITION_NOT_FOUND' } });
    expect((await system.request('GET', '/schedules/refused')).status).toBe(404);
  });
});
