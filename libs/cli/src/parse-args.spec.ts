import { toApiRequest } from './api-request';
import { DEFAULT_URL, parseCommandLine, type Invocation } from './parse-args';
import { UsageError } from './usage-error';

type Run = Extract<Invocation, { kind: 'run' }>;

const parse = (argv: string[], env: Record<string, string> = {}) => parseCommandLine(argv, env);
const run = (argv: string[], env: Record<string, string> = {}): Run => {
  const invocation = parse(argv, env);
  if (invocation.kind !== 'run') throw new Error(`expected a command, got ${JSON.stringify(invocation)}`);
  return invocation;
};
const request = (argv: string[], readFile: (path: string) => string = () => '{}') => toApiRequest(run(argv), readFile);
const usageError = (action: () => unknown): UsageError => {
  try {
    action();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
};

describe('parseCommandLine', () => {
  it('reads the positional arguments by name and the options before or after them', () => {
    expect(run(['cancel', '--reason', 'customer asked', 'saga-1'])).toMatchObject({
      command: 'cancel',
      args: { sagaId: 'saga-1' },
      options: { reason: 'customer asked' },
      json: false,
    });
  });

  describe('when neither --url nor --api-key is given', () => {
    it('takes SAGAFLOW_URL and SAGAFLOW_API_KEY from the environment', () => {
      expect(run(['list'], { SAGAFLOW_URL: 'http://api:8080/', SAGAFLOW_API_KEY: 'k1' }).connection).toEqual({
        url: 'http://api:8080',
        apiKey: 'k1',
      });
    });

    it('defaults to the local API without a key', () => {
      expect(run(['list']).connection).toEqual({ url: DEFAULT_URL });
    });
  });

  it('prefers --url and --api-key to the environment', () => {
    expect(
      run(['list', '--url', 'http://other:1', '--api-key', 'k2'], {
        SAGAFLOW_URL: 'http://api',
        SAGAFLOW_API_KEY: 'k1',
      }).connection,
    ).toEqual({ url: 'http://other:1', apiKey: 'k2' });
  });

  it('answers help for --help, alone or after a command', () => {
    expect(parse(['--help'])).toEqual({ kind: 'help', command: undefined });
    expect(parse(['status', '--help'])).toEqual({ kind: 'help', command: 'status' });
    expect(parse(['publish', '-h'])).toEqual({ kind: 'help', command: 'publish' });
    expect(parse(['bulk', 'cancel', '--help'])).toEqual({ kind: 'help', command: 'bulk cancel' });
    expect(parse(['help', 'bulk', 'status'])).toEqual({ kind: 'help', command: 'bulk status' });
  });

  it('reads `bulk` with its operation as one command', () => {
    expect(run(['bulk', 'status', 'b-1'])).toMatchObject({ command: 'bulk status', args: { bulkId: 'b-1' } });
  });

  describe('refuses a bad command line with a UsageError naming the problem', () => {
    it.each([
      [[], /No command/],
      [['frobnicate'], /Unknown command "frobnicate"/],
      [['status'], /Missing <sagaId>/],
      [['status', 'a', 'b'], /Unexpected argument "b"/],
      [['list', '--colour'], /Unknown option '--colour'/],
      [['resolve', 'saga-1'], /--note is required/],
      [['cancel', 'saga-1', '--reason'], /argument missing/],
      [['list', '--url', 'not a url'], /not a URL/],
      [['bulk'], /Unknown command "bulk"/],
      [['bulk', 'drop'], /Unknown command "bulk drop"/],
      [['bulk', 'resolve', '--status', 'compensation_failed'], /--note is required/],
      [['bulk', 'status'], /Missing <bulkId>/],
    ])('%j', (argv, message) => {
      expect(usageError(() => parse(argv)).message).toMatch(message);
    });
  });
});

describe('toApiRequest', () => {
  it('starts a saga with its input and idempotency key', () => {
    expect(request(['start', 'transfer', '--input', '{"amountCents":5}', '--idempotency-key', 'k-1'])).toEqual({
      method: 'POST',
      path: '/sagas/transfer',
      body: { amountCents: 5 },
      headers: { 'idempotency-key': 'k-1' },
    });
  });

  it('reads the input of start from --input-file, and {} without one', () => {
    expect(request(['start', 'checkout', '--input-file', 'in.json'], () => '{"orderId":"o-1"}').body).toEqual({
      orderId: 'o-1',
    });
    expect(request(['start', 'checkout']).body).toEqual({});
  });

  it('lists with the given filters as a query string', () => {
    expect(request(['list', '--status', 'completed', '--name', 'transfer', '--limit', '5']).path).toBe(
      '/sagas?name=transfer&status=completed&limit=5',
    );
    expect(request(['list']).path).toBe('/sagas');
  });

  it('encodes a saga id in the path', () => {
    expect(request(['status', 'a/b']).path).toBe('/sagas/a%2Fb');
  });

  it('sends the reason of cancel, the note of retry and resolve', () => {
    expect(request(['cancel', 's', '--reason', 'r'])).toMatchObject({ path: '/sagas/s/cancel', body: { reason: 'r' } });
    expect(request(['retry', 's'])).toMatchObject({ path: '/sagas/s/retry', body: {} });
    expect(request(['resolve', 's', '--note', 'refunded by hand'])).toMatchObject({
      path: '/sagas/s/resolve',
      body: { note: 'refunded by hand' },
    });
  });

  it('starts a bulk operation with the filters given, and the reason or note of its operation', () => {
    expect(request(['bulk', 'cancel', '--name', 'transfer', '--from', '2026-12-01', '--reason', 'r'])).toEqual({
      method: 'POST',
      path: '/sagas/bulk',
      body: { operation: 'cancel', filter: { name: 'transfer', from: '2026-12-01' }, reason: 'r' },
    });
    expect(request(['bulk', 'retry', '--status', 'compensation_failed'])).toMatchObject({
      body: { operation: 'retry', filter: { status: 'compensation_failed' } },
    });
    expect(request(['bulk', 'cancel', '--tags', 'customerId:c-1,ref:a:b'])).toMatchObject({
      body: { operation: 'cancel', filter: { tags: { customerId: 'c-1', ref: 'a:b' } } },
    });
    expect(request(['bulk', 'status', 'b/1'])).toEqual({ method: 'GET', path: '/sagas/bulk/b%2F1' });
  });

  it('refuses a bulk operation without any filter', () => {
    expect(usageError(() => request(['bulk', 'cancel', '--reason', 'r'])).message).toMatch(/at least one of --name/);
  });

  it('publishes an event with its id, key and payload', () => {
    expect(request(['publish', 'shipment.delivered', '--key', 'o-1', '--id', 'e-1', '--payload', '{"a":1}'])).toEqual({
      method: 'POST',
      path: '/events',
      body: { type: 'shipment.delivered', id: 'e-1', key: 'o-1', payload: { a: 1 } },
    });
  });

  it('sends a signal with its JSON payload and idempotency key, and asks a query', () => {
    expect(request(['signal', 's/1', 'decision', '{"approved":true}', '--idempotency-key', 'k-1'])).toEqual({
      method: 'POST',
      path: '/sagas/s%2F1/signals/decision',
      body: { approved: true },
      headers: { 'idempotency-key': 'k-1' },
    });
    expect(request(['query', 's-1', 'progress'])).toEqual({ method: 'GET', path: '/sagas/s-1/queries/progress' });
  });

  describe('refuses with a UsageError', () => {
    it('JSON that does not parse', () => {
      expect(usageError(() => request(['start', 'x', '--input', '{nope'])).message).toMatch(
        /--input is not valid JSON/,
      );
      expect(usageError(() => request(['publish', 'a.b', '--payload', '['])).message).toMatch(/--payload/);
      expect(usageError(() => request(['signal', 's-1', 'decision', '{'])).message).toMatch(/<payload>/);
    });

    it('both --input and --input-file', () => {
      expect(usageError(() => request(['start', 'x', '--input', '{}', '--input-file', 'f'])).message).toMatch(
        /not both/,
      );
    });

    it('an --input-file that cannot be read', () => {
      const missing = () => {
        throw new Error('ENOENT');
      };
      expect(usageError(() => request(['start', 'x', '--input-file', 'f'], missing)).message).toMatch(
        /Cannot read --input-file "f": ENOENT/,
      );
    });

    it('a --limit or --history that is not a positive integer', () => {
      expect(usageError(() => request(['list', '--limit', '0'])).message).toMatch(/--limit must be a positive integer/);
      expect(usageError(() => request(['status', 's', '--history', 'x'])).message).toMatch(/--history/);
    });
  });
});
