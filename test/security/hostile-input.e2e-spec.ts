import fc from 'fast-check';
import { SagaflowSystem } from '../support/apps';
import { connect, keysUnder } from '../support/redis';

const API_KEY = 'hostile-suite-key';
const AUTH = { authorization: `Bearer ${API_KEY}` };
const RUNS = Number(process.env.HOSTILE_RUNS ?? 150);

/** JSON nested deeper than any input needs. */
const deep = fc.integer({ min: 40, max: 400 }).map((depth) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { nested: value };
  return value;
});
/** Keys that pollute prototypes when merged naively. */
const polluting = fc
  .constantFrom('__proto__', 'constructor', 'prototype')
  .chain((key) => fc.jsonValue().map((value) => `{"${key}": ${JSON.stringify(value)}, "ok": 1}`));
const garbage = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('{', '[1,', 'null', '""', '{"a":}'),
);

/** Bodies no endpoint accepts, as raw JSON text (or not JSON at all). */
const hostileBody = fc.oneof(
  fc.anything().map((value) => JSON.stringify(value) ?? 'undefined'),
  deep.map((value) => JSON.stringify(value)),
  polluting,
  garbage,
);

/** Events that break the event contract in at least one field. */
const badEvent = fc.oneof(
  fc.record({ type: fc.string().filter((type) => !/^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/.test(type)) }),
  fc.record({
    type: fc.constant('order.placed'),
    key: fc.string().filter((key) => !/^[A-Za-z0-9_.:@+/-]{1,200}$/.test(key)),
  }),
  fc.record({
    type: fc.constant('order.placed'),
    payload: fc.oneof(fc.array(fc.anything()), fc.string(), fc.integer()),
  }),
  fc.record({ type: fc.constant('order.placed'), extra: fc.jsonValue() }),
);

/** Path segments: unicode, traversal, encoded bytes, very long. */
const segment = fc.oneof(
  fc.string({ minLength: 1 }),
  fc.constantFrom('..', '%2e%2e', '%00', '%ff', 'a'.repeat(5_000), '{}', "'; DROP TABLE sagas; --", '*', '?'),
);

describe('hostile input: every endpoint answers a 4xx JSON error, stays up, and writes nothing', () => {
  let system: SagaflowSystem;
  let cases = 0;

  beforeAll(async () => {
    system = await SagaflowSystem.start({ workers: 0, apiEnv: { SAGAFLOW_API_KEYS: API_KEY } });
  });
  afterAll(async () => {
    process.stdout.write(`hostile input: ${cases} requests sent, each answered with a 4xx JSON error\n`);
    await system.stop();
  });

  async function keyCount(): Promise<number> {
    const redis = connect(system.env.REDIS_URL);
    try {
      return (await keysUnder(redis, system.prefix)).length;
    } finally {
      await redis.quit();
    }
  }

  /** Sends one request and checks the answer's shape. */
  async function refused(method: string, path: string, body?: string, headers: Record<string, string> = AUTH) {
    cases++;
    const response = await fetch(`${system.baseUrl}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body,
    });
    const text = await response.text();
    const json = JSON.parse(text) as { statusCode: number; code: string; message: string };
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(json).toMatchObject({ statusCode: response.status, code: expect.any(String), message: expect.any(String) });
    expect(text).not.toMatch(/\bat .+\.(js|ts):\d+/); // no stack trace
    return response.status;
  }

  it('refuses hostile bodies to start a saga and to publish an event', async () => {
    const before = await keyCount();
    await fc.assert(
      fc.asyncProperty(hostileBody, async (body) => {
        await refused('POST', '/sagas/transfer', body);
        await refused('POST', '/sagas/checkout', body);
      }),
      { numRuns: RUNS },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          hostileBody,
          badEvent.map((event) => JSON.stringify(event)),
        ),
        async (body) => {
          await refused('POST', '/events', body);
        },
      ),
      { numRuns: RUNS },
    );
    expect(await keyCount()).toBe(before);
  });

  it('refuses hostile path segments and query strings on every route', async () => {
    const before = await keyCount();
    await fc.assert(
      fc.asyncProperty(segment, fc.string(), async (raw, query) => {
        const part = encodeURIComponent(raw);
        await refused('POST', `/sagas/${part}`, '{}');
        await refused('GET', `/sagas/${part}`);
        for (const action of ['cancel', 'retry', 'resolve']) await refused('POST', `/sagas/${part}/${action}`, '{}');
        await refused('GET', `/sagas?status=${encodeURIComponent(query)}x&limit=${encodeURIComponent(query)}x`);
        await refused('GET', `/demo/accounts/${part}x`);
      }),
      { numRuns: RUNS },
    );
    expect(await keyCount()).toBe(before);
  });

  it('refuses requests without a key (401) or with a wrong one (403), whatever the header holds', async () => {
    const before = await keyCount();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.string().map((value) => `Bearer ${value}`),
          fc.string().map((value) => `Basic ${value}`),
        ),
        async (authorization) => {
          const headers: Record<string, string> = /^[\t\x20-\x7e]*$/.test(authorization) ? { authorization } : {};
          const status = await refused('POST', '/sagas/transfer', '{}', headers);
          expect([401, 403]).toContain(status);
        },
      ),
      { numRuns: RUNS },
    );
    expect(await keyCount()).toBe(before);
  });

  it('still serves after all of it', async () => {
    const { status } = await system.request('GET', '/sagas?limit=1', undefined, AUTH);
    expect(status).toBe(200);
    expect(system.api.running).toBe(true);
  });
});
