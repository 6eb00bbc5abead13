import type { SagaRecord } from '@sagaflow/core';
import { transfer } from '../faults/transfer.fixture';
import { AppProcess, SagaflowSystem } from '../support/apps';
import { waitFor } from '../support/wait-for';

const KEY = 'test-key-1';
const BEARER = { authorization: `Bearer ${KEY}` };

describe('API security: keys, dashboards, limits, headers', () => {
  let system: SagaflowSystem;

  beforeAll(async () => {
    system = await SagaflowSystem.start({
      apiEnv: {
        SAGAFLOW_API_KEYS: `other-key, ${KEY}`,
        SAGAFLOW_RATE_LIMIT_PER_MINUTE: '20',
        SAGAFLOW_BODY_LIMIT_BYTES: '4096',
      },
    });
  });
  afterAll(() => system.stop());

  it('answers 401 without a key, 403 with a wrong one, and serves a right one; health stays open', async () => {
    const missing = await system.request<{ code: string }>('GET', '/sagas/counts');
    expect(missing).toMatchObject({ status: 401, body: { code: 'AUTH.MISSING' } });
    const wrong = await system.request<{ code: string }>('GET', '/sagas/counts', undefined, {
      authorization: 'Bearer nope',
    });
    expect(wrong).toMatchObject({ status: 403, body: { code: 'AUTH.INVALID_KEY' } });
    const started = await system.request<{ id: string }>('POST', '/sagas/transfer', transfer(), BEARER);
    expect(started.status).toBe(202);
    expect((await system.request('GET', '/health/ready')).status).toBe(200);
    expect((await system.request('GET', '/docs-json')).status).toBe(401);
    expect((await system.request('GET', '/metrics')).status).toBe(401);
    // The key never reaches the logs.
    expect(system.api.log).not.toContain(KEY);
  });

  it('puts the dashboards behind a login whose session cookie lets the explorer call the API', async () => {
    const challenge = await fetch(`${system.baseUrl}/admin/sagas`);
    expect(challenge.status).toBe(401);
    expect(challenge.headers.get('www-authenticate')).toMatch(/^Basic /);
    const board = await fetch(`${system.baseUrl}/admin/queues`);
    expect(board.status).toBe(401);

    const login = await fetch(`${system.baseUrl}/admin/sagas`, {
      headers: { authorization: `Basic ${Buffer.from(`operator:${KEY}`).toString('base64')}` },
    });
    expect(login.status).toBe(200);
    const session = (login.headers.get('set-cookie') ?? '').split(';')[0];
    expect(session).toMatch(/^sagaflow_session=/);
    expect(login.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    const api = await fetch(`${system.baseUrl}/sagas/counts`, { headers: { cookie: session } });
    expect(api.status).toBe(200);
    const forged = await fetch(`${system.baseUrl}/sagas/counts`, { headers: { cookie: `${session.slice(0, -3)}abc` } });
    expect(forged.status).toBe(401);
  });

  it('refuses a body over the limit (413) and one nested too deep (400), writing nothing', async () => {
    const big = await system.request<{ code: string }>(
      'POST',
      '/events',
      { type: 'x.y', payload: { blob: 'x'.repeat(5_000) } },
      BEARER,
    );
    expect(big).toMatchObject({ status: 413, body: { code: 'HTTP.PAYLOAD_TOO_LARGE' } });
    let nested: unknown = 1;
    for (let i = 0; i < 40; i++) nested = { n: nested };
    const deep = await system.request<{ code: string }>('POST', '/sagas/transfer', nested, BEARER);
    expect(deep).toMatchObject({ status: 400, body: { code: 'REQUEST.TOO_DEEP' } });
  });

  it('sends security headers, and no CORS headers unless origins are configured', async () => {
    const response = await fetch(`${system.baseUrl}/health/live`, { headers: { origin: 'https://evil.example' } });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBeTruthy();
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('limits each key to its rate (429), leaving other keys alone', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++)
      statuses.push((await system.request('GET', '/sagas/counts', undefined, BEARER)).status);
    expect(statuses).toContain(429);
    const other = await system.request('GET', '/sagas/counts', undefined, { authorization: 'Bearer other-key' });
    expect(other.status).toBe(200);
  });

  it('runs sagas end to end with keys on', async () => {
    const other = { authorization: 'Bearer other-key' };
    const started = await system.request<{ id: string }>('POST', '/sagas/transfer', transfer(), other);
    const saga = await waitFor(
      async () => (await system.request<SagaRecord>('GET', `/sagas/${started.body.id}`, undefined, other)).body,
      (record) => record.status === 'completed',
    );
    expect(saga.status).toBe('completed');
  });
});

describe('API boot without keys', () => {
  it('refuses to start with NODE_ENV=production, naming the variable', async () => {
    const failed = AppProcess.start('api', { NODE_ENV: 'production', PORT: '0' }, /listening on port/);
    await expect(failed).rejects.toThrow(/SAGAFLOW_API_KEYS must hold at least one key when NODE_ENV=production/);
  });
});
