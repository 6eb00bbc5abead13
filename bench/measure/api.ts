import autocannon from 'autocannon';
import type { Harness } from '../harness';
import { AppProcess } from '../support/apps';
import { rssOf, sleep } from '../support/processes';
import { round } from '../support/stats';

/** The API's own prefix: its sagas are `transfer` sagas, apart from the bench saga's keys. */
const API_PREFIX = 'benchapi';

export interface ApiFigures {
  connections: number;
  durationSeconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Sagas the API wrote during the run: the 2xx answers, plus the requests in flight when autocannon stopped. */
  sagasCreated: number;
  apiRssMiB: number;
}

/**
 * `POST /sagas/transfer` under load: the built API on the private Redis (no worker: only starting sagas is
 * measured), driven by autocannon, each request with its own transferId.
 */
export async function measureApi(
  harness: Harness,
  root: string,
  options: { connections: number; warmupSeconds: number; durationSeconds: number },
): Promise<ApiFigures> {
  await harness.flush();
  const api = await AppProcess.start(root, 'api', {
    REDIS_URL: harness.server.url,
    SAGAFLOW_PREFIX: API_PREFIX,
    SAGAFLOW_EMBEDDED_WORKER: 'false',
    // The load comes from one address far above any client's limit: measure the API, not its limiter.
    SAGAFLOW_RATE_LIMIT_PER_MINUTE: '0',
  });
  try {
    let counter = 0;
    const load = (duration: number) =>
      autocannon({
        url: api.url,
        connections: options.connections,
        duration,
        requests: [
          {
            method: 'POST',
            path: '/sagas/transfer',
            headers: { 'content-type': 'application/json' },
            setupRequest: (request) => ({
              ...request,
              body: JSON.stringify({
                transferId: `bench-${++counter}`,
                fromAccount: 'acct-alice',
                toAccount: 'acct-bob',
                amountCents: 1,
              }),
            }),
          },
        ],
      });
    if (options.warmupSeconds > 0) await load(options.warmupSeconds);
    // autocannon ends without waiting for the requests in flight: let them land before counting sagas.
    await sleep(500);
    const before = await harness.redis.zcard(`${API_PREFIX}:sagas`);
    const result = await load(options.durationSeconds);
    await sleep(500);
    const sagasCreated = (await harness.redis.zcard(`${API_PREFIX}:sagas`)) - before;
    return {
      connections: options.connections,
      durationSeconds: options.durationSeconds,
      requestsPerSecond: round(result.requests.average),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      requests: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      sagasCreated,
      apiRssMiB: round(rssOf(api.pid) / 2 ** 20, 1),
    };
  } finally {
    await api.stop();
  }
}
