import 'reflect-metadata';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Harness, PREFIX } from './harness';
import { flameGraph, summarize, summaryMarkdown, trimProfile, type CpuProfile } from './support/cpu-profile';
import { outputDir } from './support/output';
import { sleep } from './support/processes';
import { startBenchRedis } from './support/redis-server';

/**
 * `npm run bench:profile`: the sagaflow worker process, then the plain BullMQ one for comparison, under
 * `node --cpu-prof` on a private Redis (no persistence), each draining work queued beforehand (no-op 3-step
 * sagas, no-op jobs). After a warm-up of 1 s the profile is cut to a window of PROFILE_SECONDS (5 s), without
 * the process' start-up and shutdown. Per worker it writes `<name>.cpuprofile` (the window; Chrome DevTools
 * opens it) and `<name>.svg` (a flame graph) to `bench/out/profiles/` (with `BENCH_SAVE=1`: `bench/profiles/`),
 * and prints the self-time tables in Markdown.
 * - PROFILE_CONCURRENCY (50), PROFILE_SECONDS (5), PROFILE_LABEL: a suffix of the names (e.g. `-before`).
 * - `npm run bench:profile -- <file.cpuprofile> <items> [job|step]`: the tables of a kept profile again, and its
 *   flame graph beside it.
 */
const ROOT = process.env.BENCH_ROOT ?? process.cwd();
const OUT = join(outputDir(ROOT), 'profiles');
const CONCURRENCY = Number(process.env.PROFILE_CONCURRENCY ?? 50);
const SECONDS = Number(process.env.PROFILE_SECONDS ?? 5);
const LABEL = process.env.PROFILE_LABEL ?? '';
const WARMUP_MS = 1_000;
/** Enough work for the warm-up and the window at well above the rates seen on the bench machine. */
const SAGAS = 40_000;
const PLAIN_JOBS = 150_000;

type Kind = 'saga' | 'plain';
const ITEM: Record<Kind, 'step' | 'job'> = { saga: 'step', plain: 'job' };
const TITLE: Record<Kind, string> = { saga: 'sagaflow worker', plain: 'plain BullMQ worker' };

function log(message: string): void {
  process.stderr.write(`[profile] ${message}\n`);
}

/** The monotonic clock V8 stamps its samples with, in µs. */
function nowUs(): number {
  return Number(process.hrtime.bigint() / 1_000n);
}

/** Writes a profile's flame graph `<dir>/<name>.svg` and returns its tables. */
function report(
  profile: CpuProfile,
  dir: string,
  name: string,
  title: string,
  items: number,
  itemName: string,
): string {
  writeFileSync(join(dir, `${name}.svg`), flameGraph(profile, { title, items, itemName }));
  return summaryMarkdown(summarize(profile, items), itemName);
}

interface Window {
  fromUs: number;
  toUs: number;
  items: number;
  cpuUs: number;
}

/** Queues the work, lets the worker go, and notes the window it is profiled over. */
async function drive(harness: Harness, kind: Kind): Promise<Window> {
  await harness.flush();
  const [worker] = await harness.workers(kind, 1);
  if (kind === 'saga') await harness.startSagas(SAGAS);
  else await harness.addPlainJobs(PLAIN_JOBS);
  worker.go(CONCURRENCY);
  await sleep(WARMUP_MS);
  const fromUs = nowUs();
  const from = await worker.count();
  await sleep(SECONDS * 1_000);
  const toUs = nowUs();
  const to = await worker.count();
  const left = kind === 'saga' ? await harness.sagasNotFinished() : await harness.plainJobsLeft();
  if (left === 0) log(`warning: the ${TITLE[kind]} ran out of work within the window; queue more`);
  await worker.halt();
  return { fromUs, toUs, items: to.ran - from.ran, cpuUs: to.cpuUs - from.cpuUs };
}

async function profileWorkers(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const raw = mkdtempSync(join(tmpdir(), 'sagaflow-profile-'));
  const server = await startBenchRedis('none');
  const harness = new Harness(server, PREFIX, (kind) => [
    '--cpu-prof',
    `--cpu-prof-dir=${raw}`,
    `--cpu-prof-name=${kind}.cpuprofile`,
  ]);
  const windows = new Map<Kind, Window>();
  try {
    for (const kind of ['saga', 'plain'] as const) {
      const window = await drive(harness, kind);
      windows.set(kind, window);
      const seconds = (window.toUs - window.fromUs) / 1e6;
      log(
        `${TITLE[kind]}, concurrency ${CONCURRENCY}: ${Math.round(window.items / seconds)} ${ITEM[kind]}s/s profiled, ` +
          `${(window.cpuUs / window.items).toFixed(1)} µs of CPU per ${ITEM[kind]}`,
      );
    }
  } finally {
    // The profiles are written as the processes exit.
    await harness.close();
    await server.destroy();
  }
  for (const [kind, window] of windows) {
    const profile = JSON.parse(readFileSync(join(raw, `${kind}.cpuprofile`), 'utf8')) as CpuProfile;
    const trimmed = trimProfile(profile, window.fromUs, window.toUs);
    const name = `${kind === 'saga' ? 'saga' : 'bullmq'}-worker-c${CONCURRENCY}${LABEL}`;
    writeFileSync(join(OUT, `${name}.cpuprofile`), JSON.stringify(trimmed));
    const title = `${TITLE[kind]}, concurrency ${CONCURRENCY}, ${SECONDS} s window`;
    process.stdout.write(
      `## ${name}\n\n${(window.cpuUs / window.items).toFixed(1)} µs of CPU per ${ITEM[kind]} ` +
        `(process.cpuUsage over the window).\n\n${report(trimmed, OUT, name, title, window.items, ITEM[kind])}\n\n`,
    );
  }
  rmSync(raw, { recursive: true, force: true });
  process.stdout.write(`profiles and flame graphs: ${OUT}\n`);
}

/** The tables of a kept profile, and its flame graph written beside it. */
function analyze(file: string, items: number, itemName: string): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const name = basename(file, '.cpuprofile');
  process.stdout.write(`## ${name}\n\n${report(profile, dirname(file), name, name, items, itemName)}\n`);
}

const [file, items, itemName = 'step'] = process.argv.slice(2);
const done = file ? Promise.resolve(analyze(file, Number(items), itemName)) : profileWorkers();
done.then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`profile failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
