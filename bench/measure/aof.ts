import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { BENCH_STEPS } from '../saga/bench.saga';
import type { Harness } from '../harness';
import { sleep } from '../support/processes';
import { info } from '../support/redis-server';
import { round } from '../support/stats';

/** What a drain appends to the AOF, per step (or job), by command name. */
export interface AofFigures {
  items: number;
  bytesPerItem: number;
  commandsPerItem: number;
  /** Commands and bytes per item of each command name, most bytes first. */
  byName: Record<string, { commands: number; bytes: number }>;
  /** What starting the sagas (or adding the jobs) appended, per saga or job. */
  producerBytesPerItem: number;
}

/** The incremental AOF file Redis appends to now (Redis 7's multi-part AOF: the manifest's last `type i` file). */
async function incrementalAof(redis: Redis): Promise<string> {
  const [, dir] = (await redis.config('GET', 'dir')) as string[];
  const [, folder] = (await redis.config('GET', 'appenddirname')) as string[];
  const [, base] = (await redis.config('GET', 'appendfilename')) as string[];
  const manifest = readFileSync(join(dir, folder, `${base}.manifest`), 'utf8');
  const files = [...manifest.matchAll(/^file (\S+) seq \d+ type i$/gm)].map((match) => match[1]);
  if (files.length === 0) throw new Error(`no incremental AOF file in ${manifest}`);
  return join(dir, folder, files[files.length - 1]);
}

/** The commands (name and RESP bytes) in a stretch of AOF: `*<n>\r\n` then n `$<len>\r\n<bytes>\r\n`. */
function commandsIn(aof: Buffer): { name: string; bytes: number }[] {
  const commands: { name: string; bytes: number }[] = [];
  let at = 0;
  const line = (): number => {
    const end = aof.indexOf('\r\n', at);
    const value = Number(aof.toString('latin1', at + 1, end));
    at = end + 2;
    return value;
  };
  while (at < aof.length) {
    const start = at;
    const count = line();
    let name = '';
    for (let i = 0; i < count; i++) {
      const length = line();
      if (i === 0) name = aof.toString('latin1', at, at + length).toLowerCase();
      at += length + 2;
    }
    commands.push({ name, bytes: at - start });
  }
  return commands;
}

/**
 * The AOF bytes of a small run on the AOF Redis: `items` sagas (or plain jobs) queued by the bench, then drained
 * by one worker process at concurrency 10. Every write a script makes is appended as its own command (Redis 7
 * propagates a script's effects, wrapped in MULTI … EXEC), so this is the write work AOF adds per step.
 */
export async function measureAof(harness: Harness, kind: 'saga' | 'plain', items: number): Promise<AofFigures> {
  const { redis } = harness;
  // A rewrite starts a new incremental file: none may run meanwhile (the throughput runs grow the AOF enough to
  // set one off), so automatic ones are paused and one in progress is waited for.
  const [, percentage] = (await redis.config('GET', 'auto-aof-rewrite-percentage')) as string[];
  await redis.config('SET', 'auto-aof-rewrite-percentage', '0');
  try {
    for (;;) {
      const persistence = await info(redis, 'persistence');
      if (persistence.aof_rewrite_in_progress === '0' && persistence.aof_rewrite_scheduled === '0') break;
      await sleep(50);
    }
    return await measureDrain(harness, kind, items);
  } finally {
    await redis.config('SET', 'auto-aof-rewrite-percentage', percentage);
  }
}

async function measureDrain(harness: Harness, kind: 'saga' | 'plain', items: number): Promise<AofFigures> {
  await harness.flush();
  const [worker] = await harness.workers(kind, 1);
  const file = await incrementalAof(harness.redis);
  // Appended in the event loop's next turn after each write; with everysec, fsync'd a second later at most.
  const settled = async (): Promise<number> => {
    await sleep(200);
    return statSync(file).size;
  };
  const before = await settled();
  if (kind === 'saga') await harness.startSagas(items);
  else await harness.addPlainJobs(items);
  const queued = await settled();
  try {
    worker.go(10);
    const left = (): Promise<number> => (kind === 'saga' ? harness.sagasNotFinished() : harness.plainJobsLeft());
    while ((await left()) > 0) await sleep(20);
  } finally {
    await worker.halt();
  }
  const after = await settled();
  const drained = Buffer.alloc(after - queued);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, drained, 0, drained.length, queued);
  } finally {
    closeSync(fd);
  }
  const perItem = kind === 'saga' ? items * BENCH_STEPS : items;
  const byName: Record<string, { commands: number; bytes: number }> = {};
  const commands = commandsIn(drained);
  for (const { name, bytes } of commands) {
    byName[name] ??= { commands: 0, bytes: 0 };
    byName[name].commands++;
    byName[name].bytes += bytes;
  }
  return {
    items,
    bytesPerItem: round(drained.length / perItem, 1),
    commandsPerItem: round(commands.length / perItem, 2),
    byName: Object.fromEntries(
      Object.entries(byName)
        .sort(([, a], [, b]) => b.bytes - a.bytes)
        .map(([name, counts]) => [
          name,
          { commands: round(counts.commands / perItem, 2), bytes: round(counts.bytes / perItem, 1) },
        ]),
    ),
    producerBytesPerItem: round((queued - before) / items, 1),
  };
}
