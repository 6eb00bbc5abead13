import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import {
  SagaReaper,
  SagaWorkers,
  StepExecutor,
  constructingResolver,
  createSagaParts,
  type SagaLogger,
} from '@sagaflow/core';
import { benchSaga } from './saga/bench.saga';
import { describeMachine, type Machine } from './support/machine';
import { killChildren, sleep } from './support/processes';
import { startBenchRedis, usedMemory } from './support/redis-server';
import { round } from './support/stats';
import { writeJson } from './support/write-json';

/**
 * `npm run bench:retention`: does Redis stay flat while sagas keep coming, once ended sagas are removed? On a
 * private Redis (no persistence), the engine core with its step workers (concurrency 50) and its reaper runs
 * RETENTION_SAGAS (200,000) no-op 3-step sagas, started as fast as the workers end them (at most 500 unfinished),
 * with a retention of RETENTION_SECONDS (10 s) and a reaper every second. Every RETENTION_SAMPLE_SECONDS (5 s) it
 * samples Redis' used_memory and how many sagas are kept; it compares the first window after the retention has
 * set in (one retention and a sample past the start) with the last. Results go to BENCH_OUT (bench/out/).
 */
const ROOT = process.env.BENCH_ROOT ?? process.cwd();
const SAGAS = Number(process.env.RETENTION_SAGAS ?? 200_000);
const RETENTION_SECONDS = Number(process.env.RETENTION_SECONDS ?? 10);
const SAMPLE_SECONDS = Number(process.env.RETENTION_SAMPLE_SECONDS ?? 5);
const OUT = process.env.BENCH_OUT ?? join(ROOT, 'bench', 'out');
const IN_FLIGHT = 500;
const PREFIX = 'retention';
/** used_memory may grow this much from the first steady window to the last and still count as flat. */
const FLAT_TOLERANCE = 0.1;

interface Sample {
  seconds: number;
  redisUsedMiB: number;
  started: number;
  ended: number;
  /** Sagas in Redis (the index of all sagas): those not ended yet, and the ended ones inside their retention. */
  kept: number;
}

export interface RetentionResults {
  generatedAt: string;
  command: string;
  machine: Machine;
  sagas: number;
  retentionSeconds: number;
  seconds: number;
  sagasPerSecond: number;
  removed: number;
  /** Mean used_memory (MiB) of the first window after the retention set in, of the last, and the growth. */
  redis: { firstWindowMiB: number; lastWindowMiB: number; growth: number; flat: boolean };
  /** What the same number of sagas took before retention, measured by `npm run bench` (bytes per kept saga). */
  keptWithoutRetentionMiB: number;
  samples: Sample[];
}

const silent: SagaLogger = {
  log: () => undefined,
  warn: () => undefined,
  error: (m) => process.stderr.write(`${m}\n`),
};
const log = (message: string) => process.stderr.write(`[retention] ${message}\n`);

async function main(): Promise<void> {
  const server = await startBenchRedis('none');
  const redis = new Redis(server.url, { maxRetriesPerRequest: null });
  const { registry, store, queues, dispatcher, inbox, children, client } = createSagaParts(redis, PREFIX, {
    retentionMs: RETENTION_SECONDS * 1_000,
  });
  registry.register(benchSaga);
  const executor = new StepExecutor(registry, store, dispatcher, inbox, children, constructingResolver, silent);
  const workers = new SagaWorkers(executor, silent, { connection: redis, prefix: PREFIX, concurrency: 50 });
  const reaper = new SagaReaper(store, silent, { intervalMs: 1_000, batchSize: 500 });
  // Ended sagas, as the transitions count them (see lua/includes/metrics.lua).
  let ended = 0;
  const counter = setInterval(() => {
    void redis
      .hget(store.keys.metrics(0), `finished|${benchSaga.name}|completed`)
      .then((count) => (ended = Number(count)));
  }, 20);
  workers.start([benchSaga.name]);
  reaper.start();

  const samples: Sample[] = [];
  const began = performance.now();
  let started = 0;
  const sampler = setInterval(() => {
    void Promise.all([usedMemory(redis), redis.zcard(store.keys.index(0))]).then(([used, kept]) => {
      const sample = {
        seconds: round((performance.now() - began) / 1_000, 1),
        redisUsedMiB: round(used / 2 ** 20, 2),
        started,
        ended,
        kept,
      };
      samples.push(sample);
      log(`${sample.seconds} s: ${started} started, ${ended} ended, ${kept} kept, Redis ${sample.redisUsedMiB} MiB`);
    });
  }, SAMPLE_SECONDS * 1_000);

  while (started < SAGAS) {
    if (started - ended >= IN_FLIGHT) {
      await sleep(2);
      continue;
    }
    started++;
    void client.start(benchSaga.name, { orderId: `o-${started}` });
  }
  while (ended < SAGAS) await sleep(50);
  const seconds = (performance.now() - began) / 1_000;
  // One more retention and reap, so that the last window shows the removals of the last sagas too.
  await sleep(SAMPLE_SECONDS * 1_000 + 100);
  clearInterval(sampler);
  clearInterval(counter);
  await reaper.stop();
  await workers.close();

  const removed = (await store.metrics()).removed.reduce((sum, { count }) => sum + count, 0);
  const steady = samples.filter((sample) => sample.seconds >= RETENTION_SECONDS + SAMPLE_SECONDS);
  const windowSize = Math.max(1, Math.floor(steady.length / 4));
  const meanOf = (window: Sample[]) => window.reduce((sum, s) => sum + s.redisUsedMiB, 0) / window.length;
  const first = meanOf(steady.slice(0, windowSize));
  const last = meanOf(steady.slice(-windowSize));
  const growth = first > 0 ? last / first - 1 : 0;
  const results: RetentionResults = {
    generatedAt: new Date().toISOString(),
    command: 'npm run bench:retention',
    machine: describeMachine(ROOT),
    sagas: SAGAS,
    retentionSeconds: RETENTION_SECONDS,
    seconds: round(seconds, 1),
    sagasPerSecond: Math.round(SAGAS / seconds),
    removed,
    redis: {
      firstWindowMiB: round(first, 2),
      lastWindowMiB: round(last, 2),
      growth: round(growth, 3),
      flat: growth <= FLAT_TOLERANCE,
    },
    keptWithoutRetentionMiB: round((SAGAS * 3_652) / 2 ** 20, 1),
    samples,
  };
  await queues.close();
  await redis.quit();
  await server.kill();

  mkdirSync(OUT, { recursive: true });
  await writeJson(join(OUT, 'retention-results.json'), results);
  process.stdout.write(
    [
      `${SAGAS} sagas in ${results.seconds} s (${results.sagasPerSecond}/s), retention ${RETENTION_SECONDS} s: ${removed} removed`,
      `Redis used_memory, first steady window ${results.redis.firstWindowMiB} MiB, last ${results.redis.lastWindowMiB} MiB: ` +
        `growth ${(growth * 100).toFixed(1)} % (${results.redis.flat ? 'flat' : 'NOT flat'})`,
      `kept for ever, as before retention, they would take about ${results.keptWithoutRetentionMiB} MiB (3,652 B per saga, npm run bench)`,
    ].join('\n') + '\n',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `retention bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  killChildren();
  process.exit(1);
});
