import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { AppProcess } from './support/apps';
import { describeMachine, type Machine } from './support/machine';
import { rssOf, sleep } from './support/processes';
import { startBenchRedis, usedMemory } from './support/redis-server';
import { mean, round } from './support/stats';
import { outputDir } from './support/output';
import { writeJson } from './support/write-json';

/**
 * `npm run bench:soak` (not in CI): the built API and one worker process on a private Redis (AOF everysec),
 * `POST /sagas/transfer` at a steady rate for 10 minutes; every 10 s it samples the RSS of both processes and
 * Redis' used_memory, and it ends by comparing the first minute with the last.
 * SOAK_SECONDS (600), SOAK_RATE (200 sagas/s), SOAK_SAMPLE_SECONDS (10) change it; it writes `soak-results.json`
 * to `bench/out/` (`BENCH_SAVE=1`: the tracked one in `bench/`; `BENCH_OUT`: elsewhere).
 */
const ROOT = process.env.BENCH_ROOT ?? process.cwd();
const SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const RATE = Number(process.env.SOAK_RATE ?? 200);
const SAMPLE_SECONDS = Number(process.env.SOAK_SAMPLE_SECONDS ?? 10);
const OUT = outputDir(ROOT);
const PREFIX = 'soak';
/** RSS of a process may grow this much from the first minute to the last and still count as flat. */
const FLAT_TOLERANCE = 0.1;

interface Sample {
  seconds: number;
  apiRssMiB: number;
  workerRssMiB: number;
  redisUsedMiB: number;
  /** Sagas accepted so far (2xx), kept in Redis (the saga index), and not finished yet (the active index). */
  accepted: number;
  kept: number;
  unfinished: number;
}

interface Verdict {
  firstWindow: number;
  lastWindow: number;
  growth: number;
  flat: boolean;
}

export interface SoakResults {
  generatedAt: string;
  command: string;
  machine: Machine;
  seconds: number;
  ratePerSecond: number;
  sampleSeconds: number;
  /** Length of the windows compared: the first and last minute, or the first and last quarter of a short run. */
  windowSeconds: number;
  requests: { accepted: number; refused: number; failed: number; skipped: number };
  sagas: { completed: number; compensated: number; other: number; unfinishedAtEnd: number };
  api: Verdict;
  worker: Verdict;
  /** Redis keeps every saga and its history, so it must grow: per saga kept, by the same amount first and last. */
  redisBytesPerKeptSaga: Verdict;
  samples: Sample[];
}

function verdict(first: number, last: number): Verdict {
  const growth = first > 0 ? last / first - 1 : 0;
  return {
    firstWindow: round(first, 1),
    lastWindow: round(last, 1),
    growth: round(growth, 3),
    flat: growth <= FLAT_TOLERANCE,
  };
}

/** Sends `POST /sagas/transfer` at `RATE` per second until `until`, money going back and forth between two accounts. */
async function drive(url: string, until: number, counts: SoakResults['requests']): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  const started = performance.now();
  while (performance.now() < until) {
    const due = Math.floor(((performance.now() - started) / 1_000) * RATE);
    for (; sent < due; sent++) {
      if (inFlight.size >= RATE * 2) {
        counts.skipped++;
        continue;
      }
      const forth = sent % 2 === 0;
      const request = fetch(`${url}/sagas/transfer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          transferId: `soak-${sent}`,
          fromAccount: forth ? 'acct-alice' : 'acct-bob',
          toAccount: forth ? 'acct-bob' : 'acct-alice',
          amountCents: 1,
        }),
      })
        .then(async (response) => {
          await response.arrayBuffer();
          if (response.ok) counts.accepted++;
          else counts.refused++;
        })
        .catch(() => {
          counts.failed++;
        })
        .finally(() => inFlight.delete(request));
      inFlight.add(request);
    }
    await sleep(20);
  }
  await Promise.all(inFlight);
}

async function main(): Promise<void> {
  const machine = describeMachine(ROOT);
  const server = await startBenchRedis('aof-everysec');
  const redis = new Redis(server.url, { maxRetriesPerRequest: null });
  const env = {
    REDIS_URL: server.url,
    SAGAFLOW_PREFIX: PREFIX,
    SAGAFLOW_EMBEDDED_WORKER: 'false',
    SAGAFLOW_RATE_LIMIT_PER_MINUTE: '0',
  };
  const api = await AppProcess.start(ROOT, 'api', env);
  const worker = await AppProcess.start(ROOT, 'worker', env);
  const counts = { accepted: 0, refused: 0, failed: 0, skipped: 0 };
  const samples: Sample[] = [];
  try {
    process.stdout.write(
      `soak: ${RATE} transfer sagas/s for ${SECONDS} s on redis ${server.url} (AOF everysec); API pid ${api.pid}, worker pid ${worker.pid}\n`,
    );
    process.stdout.write('   s  API RSS MiB  worker RSS MiB  Redis used MiB  accepted      kept  unfinished\n');
    const takeSample = async (seconds: number): Promise<void> => {
      const sample: Sample = {
        seconds,
        apiRssMiB: round(rssOf(api.pid) / 2 ** 20, 1),
        workerRssMiB: round(rssOf(worker.pid) / 2 ** 20, 1),
        redisUsedMiB: round((await usedMemory(redis)) / 2 ** 20, 2),
        accepted: counts.accepted,
        kept: await redis.zcard(`${PREFIX}:sagas`),
        unfinished: await redis.zcard(`${PREFIX}:sagas:active`),
      };
      samples.push(sample);
      process.stdout.write(
        `${String(sample.seconds).padStart(4)}  ${sample.apiRssMiB.toFixed(1).padStart(11)}  ${sample.workerRssMiB.toFixed(1).padStart(14)}  ` +
          `${sample.redisUsedMiB.toFixed(1).padStart(14)}  ${String(sample.accepted).padStart(8)}  ${String(sample.kept).padStart(8)}  ${String(sample.unfinished).padStart(10)}\n`,
      );
    };
    await takeSample(0);
    const t0 = performance.now();
    const load = drive(api.url, t0 + SECONDS * 1_000, counts);
    for (let next = SAMPLE_SECONDS; next <= SECONDS; next += SAMPLE_SECONDS) {
      await sleep(Math.max(0, t0 + next * 1_000 - performance.now()));
      await takeSample(next);
    }
    await load;
    // Let the last sagas finish before reading how they ended.
    for (let waited = 0; waited < 30_000 && (await redis.zcard(`${PREFIX}:sagas:active`)) > 0; waited += 200) {
      await sleep(200);
    }
    const unfinishedAtEnd = await redis.zcard(`${PREFIX}:sagas:active`);
    const ids = await redis.zrange(`${PREFIX}:sagas`, '0', '-1');
    const sagas = { completed: 0, compensated: 0, other: 0, unfinishedAtEnd };
    for (let from = 0; from < ids.length; from += 1_000) {
      const pipeline = redis.pipeline();
      for (const id of ids.slice(from, from + 1_000)) pipeline.hget(`${PREFIX}:saga:{${id}}`, 'status');
      for (const [, status] of (await pipeline.exec()) ?? []) {
        if (status === 'completed') sagas.completed++;
        else if (status === 'compensated') sagas.compensated++;
        else sagas.other++;
      }
    }

    const windowSeconds = Math.min(60, SECONDS / 4);
    // Sample 0 is taken before the load: it counts for Redis' growth, not for the processes' memory under load.
    const first = samples.filter((s) => s.seconds > 0 && s.seconds <= windowSeconds);
    const last = samples.filter((s) => s.seconds > SECONDS - windowSeconds);
    const slope = (window: Sample[]): number => {
      const [a, b] = [window[0], window[window.length - 1]];
      return b.kept > a.kept ? ((b.redisUsedMiB - a.redisUsedMiB) * 2 ** 20) / (b.kept - a.kept) : Number.NaN;
    };
    const results: SoakResults = {
      generatedAt: new Date().toISOString(),
      command: 'npm run bench:soak',
      machine,
      seconds: SECONDS,
      ratePerSecond: RATE,
      sampleSeconds: SAMPLE_SECONDS,
      windowSeconds,
      requests: counts,
      sagas,
      api: verdict(mean(first.map((s) => s.apiRssMiB)), mean(last.map((s) => s.apiRssMiB))),
      worker: verdict(mean(first.map((s) => s.workerRssMiB)), mean(last.map((s) => s.workerRssMiB))),
      redisBytesPerKeptSaga: verdict(slope([samples[0], ...first]), slope(samples.slice(samples.indexOf(last[0]) - 1))),
      samples,
    };
    mkdirSync(OUT, { recursive: true });
    await writeJson(join(OUT, 'soak-results.json'), results);
    const line = (label: string, v: Verdict, unit: string): string =>
      `${label}: ${v.firstWindow} ${unit} in the first ${windowSeconds} s, ${v.lastWindow} ${unit} in the last ` +
      `(${v.growth >= 0 ? '+' : ''}${round(v.growth * 100, 1)}%): ${v.flat ? 'flat' : 'GROWS'}\n`;
    process.stdout.write(
      `\nrequests: ${counts.accepted} accepted, ${counts.refused} refused, ${counts.failed} failed, ${counts.skipped} not sent (too many in flight)\n` +
        `sagas: ${sagas.completed} completed, ${sagas.compensated} compensated, ${sagas.other} other; ${unfinishedAtEnd} unfinished 30 s after the load\n` +
        line('API RSS (mean)', results.api, 'MiB') +
        line('worker RSS (mean)', results.worker, 'MiB') +
        line('Redis used_memory per saga kept', results.redisBytesPerKeptSaga, 'bytes') +
        `figures: ${join(OUT, 'soak-results.json')}\n`,
    );
  } finally {
    await worker.stop();
    await api.stop();
    await redis.quit();
    await server.destroy();
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`soak failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
