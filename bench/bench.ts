import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { shardPrefixes } from '@sagaflow/core';
import { PrivateCluster } from '../tools/private-redis';
import { Harness, PREFIX } from './harness';
import { measureApi } from './measure/api';
import { measureAof } from './measure/aof';
import { countCommands } from './measure/commands';
import { measureChainLatency, measureSagaLatency } from './measure/latency';
import { measureMemory, type MemoryFigures } from './measure/memory';
import { measureScripts } from './measure/scripts';
import { compare, toQueue, type Comparison } from './measure/comparison';
import { measureSagas, type CheckedDrainResult } from './measure/throughput';
import type { ApiFigures } from './measure/api';
import { BENCH_STEPS } from './saga/bench.saga';
import {
  CONCURRENCIES,
  PARTS,
  PERSISTENCES,
  formatResults,
  ratioSummary,
  throughputChart,
  type BenchResults,
  type ClusterThroughput,
  type MoreProcesses,
  type Part,
  type Throughput,
} from './report';
import { describeMachine } from './support/machine';
import { track } from './support/processes';
import { startBenchRedis, PERSISTENCE_LABELS, type Persistence } from './support/redis-server';
import { round } from './support/stats';
import { outputDir } from './support/output';
import { writeJson } from './support/write-json';

/**
 * `npm run bench`: plain BullMQ against sagaflow on private Redis servers (no persistence, then AOF everysec), in
 * alternating runs, with the CPU time each costs per job or step; then step latency, the API, memory, commands per
 * step, Redis time per transition script, and sagaflow on a private Redis Cluster over 1, 3 and 6 shards. Output: a table on stdout, `results.json`
 * and `throughput.svg` in `bench/out/` (see `outputDir`: `BENCH_SAVE=1` writes the tracked ones in `bench/`), and
 * a last line with the ratio at concurrency 50.
 * - BENCH_QUICK=1: tiny sizes in seconds (for the tests; figures not meaningful).
 * - BENCH_ONLY=throughput,commands: only these parts (see PARTS); all by default.
 * - BENCH_PAIRS=7: alternating runs of each side at concurrency 1 and 50 (5 by default, 2 when quick).
 */
const QUICK = process.env.BENCH_QUICK === '1';
const ROOT = process.env.BENCH_ROOT ?? process.cwd();
const OUT = outputDir(ROOT, QUICK);

function selectedParts(): Part[] {
  const only = process.env.BENCH_ONLY;
  if (!only) return [...PARTS];
  const picked = only.split(',').map((part) => part.trim());
  const unknown = picked.filter((part) => !(PARTS as readonly string[]).includes(part));
  if (unknown.length > 0) throw new Error(`BENCH_ONLY: unknown part(s) ${unknown.join(', ')}; the parts: ${PARTS}`);
  return PARTS.filter((part) => picked.includes(part));
}
const SELECTED = selectedParts();

const SIZES = QUICK
  ? {
      // A window long enough that a stall of the loaded machine (CI runs other suites beside it) does not make a
      // rate of zero, and a ratio of 0 / 0.
      timing: { warmupMs: 50, windowMs: 1_500 },
      minPlainJobs: 1_500,
      maxPlainJobs: 10_000,
      minSagas: 200,
      maxSagas: 1_500,
      pairs: 2,
      latencySagas: 30,
      api: { connections: 50, warmupSeconds: 0, durationSeconds: 1 },
      memorySagas: [100, 300],
      commandItems: 30,
      scriptSagas: 100,
      scriptPlainJobs: 1_000,
    }
  : {
      timing: { warmupMs: 500, windowMs: 3_000 },
      minPlainJobs: 10_000,
      maxPlainJobs: 150_000,
      minSagas: 2_000,
      maxSagas: 40_000,
      pairs: 5,
      latencySagas: 1_000,
      api: { connections: 50, warmupSeconds: 2, durationSeconds: 10 },
      memorySagas: [1_000, 10_000],
      commandItems: 200,
      scriptSagas: 2_000,
      scriptPlainJobs: 20_000,
    };

/** Pairs of alternating runs by concurrency: the goals are at 1 and 50, the other two draw the curve. */
const PAIRS: Record<(typeof CONCURRENCIES)[number], number> = {
  1: Number(process.env.BENCH_PAIRS ?? SIZES.pairs),
  10: 1,
  50: Number(process.env.BENCH_PAIRS ?? SIZES.pairs),
  100: 1,
};

/** How much faster the next concurrency is guessed to be, to queue enough work without queueing far too much. */
const GROWTH: Record<number, number> = { 1: 1, 10: 4, 50: 1.3, 100: 1.1 };

const T0 = Date.now();

function log(message: string): void {
  process.stderr.write(`[bench ${((Date.now() - T0) / 1_000).toFixed(1)}s] ${message}\n`);
}

/** The workers' count of a run must match what Redis recorded; a mismatch means the figure counted wrong. */
function checkCount(result: CheckedDrainResult): void {
  if (result.ranByWorkers !== result.doneInRedis) {
    log(`warning: the workers ran ${result.ranByWorkers} but Redis records ${result.doneInRedis} as done`);
  }
}

function describeRun(result: CheckedDrainResult, unit: string): string {
  return (
    `${round(result.perSecond)} ${unit}/s, CPU/${unit} ${result.workerCpuUsPerItem.toFixed(1)} µs worker + ` +
    `${result.redisCpuUsPerItem.toFixed(1)} µs Redis (${result.queued} queued)`
  );
}

async function measureThroughput(
  harness: Harness,
  persistence: Persistence,
  runs: BenchResults['runs'],
): Promise<Throughput> {
  const label = PERSISTENCE_LABELS[persistence];
  const comparisons: Comparison[] = [];
  const expected = { bullmq: 6_000, sagaflow: 3_000 };
  for (const c of CONCURRENCIES) {
    expected.bullmq *= GROWTH[c];
    expected.sagaflow *= GROWTH[c];
    const comparison = await compare(harness, c, PAIRS[c], SIZES, expected, (side, pair, result) => {
      checkCount(result);
      runs.push({ persistence, series: side === 'bullmq' ? 'bullmq' : 'sagaflow-1', concurrency: c, pair, result });
      log(
        `${label}: c=${c} pair ${pair + 1}/${PAIRS[c]} ${side}: ${describeRun(result, side === 'bullmq' ? 'job' : 'step')}`,
      );
    });
    comparisons.push(comparison);
    log(`${label}: c=${c} ratio ${ratioSummary(comparison)}`);
  }
  const moreProcesses: MoreProcesses[] = [];
  const at50 = comparisons.find((c) => c.concurrency === 50) as Comparison;
  for (const processes of [2, 3]) {
    const { timing } = SIZES;
    const sagas = toQueue(at50.sagaflow.perSecond.median / BENCH_STEPS, timing, SIZES.minSagas, SIZES.maxSagas);
    const result = await measureSagas(harness, processes, 50, sagas, timing);
    checkCount(result);
    runs.push({ persistence, series: `sagaflow-${processes}`, concurrency: 50, result });
    log(`${label}: sagaflow ${processes} processes c=50: ${describeRun(result, 'step')}`);
    moreProcesses.push({
      processes,
      concurrency: 50,
      stepsPerSecond: round(result.perSecond),
      workerCpuUsPerStep: round(result.workerCpuUsPerItem, 1),
      redisCpuUsPerStep: round(result.redisCpuUsPerItem, 1),
    });
  }
  return { comparisons, moreProcesses };
}

/** The cluster runs: three masters, two worker processes at concurrency 50, the sagas over 1, 3 and 6 shards. */
const CLUSTER = { masters: 3, processes: 2, concurrency: 50, shards: [1, 3, 6] } as const;

/**
 * sagaflow on a private Redis Cluster (no persistence): the same no-op sagas, kept in one shard (one master serves
 * them all) and spread over more shards (over the masters).
 * @param expectedStepsPerSecond - a guess, to queue enough sagas for the timing
 */
async function measureCluster(expectedStepsPerSecond: number, runs: BenchResults['runs']): Promise<ClusterThroughput> {
  const cluster = await PrivateCluster.start({ masters: CLUSTER.masters, aof: 'off', onSpawn: track });
  const stepsPerSecondByShards: Record<number, number> = {};
  try {
    for (const shards of CLUSTER.shards) {
      const harness = new Harness(cluster, shardPrefixes(PREFIX, cluster.url, shards));
      try {
        const { timing } = SIZES;
        const sagas = toQueue(expectedStepsPerSecond / BENCH_STEPS, timing, SIZES.minSagas, SIZES.maxSagas);
        const result = await measureSagas(harness, CLUSTER.processes, CLUSTER.concurrency, sagas, timing);
        checkCount(result);
        stepsPerSecondByShards[shards] = round(result.perSecond);
        runs.push({ persistence: 'none', series: `sagaflow-cluster-${shards}-shards`, concurrency: 50, result });
        log(`cluster of ${CLUSTER.masters} masters, ${shards} shard(s): ${stepsPerSecondByShards[shards]} steps/s`);
      } finally {
        await harness.close();
      }
    }
  } finally {
    await cluster.destroy();
  }
  const { masters, processes, concurrency } = CLUSTER;
  return { masters, processes, concurrency, stepsPerSecondByShards };
}

const has = (part: Part): boolean => SELECTED.includes(part);

/** Whether some selected part runs on the Redis of this persistence: memory, commands and scripts only without, aof only with. */
function needsServer(persistence: Persistence): boolean {
  const parts: Part[] = [
    'throughput',
    'latency',
    'api',
    ...(persistence === 'none' ? (['memory', 'commands', 'scripts'] as const) : (['aof'] as const)),
  ];
  return parts.some(has);
}

/** The command as typed, with the settings that change what it measures. */
function commandLine(): string {
  const settings = ['BENCH_QUICK', 'BENCH_ONLY', 'BENCH_PAIRS', 'BENCH_LIFECYCLE']
    .filter((name) => process.env[name] !== undefined)
    .map((name) => `${name}=${process.env[name]}`);
  return [...settings, 'npm run bench'].join(' ');
}

async function main(): Promise<void> {
  const started = Date.now();
  const machine = describeMachine(ROOT);
  const results: BenchResults = {
    generatedAt: '',
    command: commandLine(),
    quick: QUICK,
    parts: SELECTED,
    durationSeconds: 0,
    machine,
    loadAverageAtEnd: 0,
    runs: [],
  };
  const throughput: Partial<Record<Persistence, Throughput>> = {};
  const latency: Partial<NonNullable<BenchResults['latency']>> = {};
  const api: Partial<Record<Persistence, ApiFigures>> = {};

  for (const persistence of PERSISTENCES) {
    if (!needsServer(persistence)) continue;
    const server = await startBenchRedis(persistence);
    const harness = new Harness(server);
    const label = PERSISTENCE_LABELS[persistence];
    try {
      log(`${label}: redis-server on port ${server.port}`);
      if (has('throughput')) throughput[persistence] = await measureThroughput(harness, persistence, results.runs);
      if (has('latency')) {
        latency[persistence] = {
          sagaflowStepTransition: await measureSagaLatency(harness, SIZES.latencySagas),
          bullmqChainedJob: await measureChainLatency(harness, SIZES.latencySagas),
        };
        log(`${label}: latency ${JSON.stringify(latency[persistence])}`);
      }
      if (has('api')) {
        api[persistence] = await measureApi(harness, ROOT, SIZES.api);
        log(`${label}: API ${JSON.stringify(api[persistence])}`);
      }
      if (persistence === 'none' && has('memory')) {
        const runs: MemoryFigures[] = [];
        for (const sagas of SIZES.memorySagas) runs.push(await measureMemory(harness, sagas));
        log(`memory ${JSON.stringify(runs)}`);
        const [first, last] = [runs[0], runs[runs.length - 1]];
        results.memory = {
          runs,
          stateOnlyGrowthRatio: round(last.bytesPerSagaStateOnly / first.bytesPerSagaStateOnly, 3),
        };
      }
      if (persistence === 'none' && has('commands')) {
        results.commands = {
          sagaflowPerStep: await countCommands(harness, 'saga', SIZES.commandItems),
          bullmqPerJob: await countCommands(harness, 'plain', SIZES.commandItems * 3),
        };
      }
      if (persistence === 'aof-everysec' && has('aof')) {
        results.aof = {
          sagaflowPerStep: await measureAof(harness, 'saga', SIZES.commandItems),
          bullmqPerJob: await measureAof(harness, 'plain', SIZES.commandItems * BENCH_STEPS),
        };
        log(`aof ${JSON.stringify(results.aof)}`);
      }
      if (persistence === 'none' && has('scripts')) {
        results.scripts = await measureScripts(harness, SIZES.scriptSagas, SIZES.scriptPlainJobs);
        log(`scripts ${JSON.stringify(results.scripts)}`);
      }
    } finally {
      await harness.close();
      await server.destroy();
    }
  }
  if (has('throughput')) results.throughput = throughput as Record<Persistence, Throughput>;
  if (has('latency')) results.latency = latency as NonNullable<BenchResults['latency']>;
  if (has('api')) results.api = api as Record<Persistence, ApiFigures>;
  if (has('cluster')) {
    // Two processes at concurrency 50 on one Redis: about the one-process rate on 2 cores (see the README).
    const expected = results.throughput?.none.comparisons.find((c) => c.concurrency === 50)?.sagaflow.perSecond.median;
    results.cluster = await measureCluster(expected ?? (QUICK ? 1_000 : 10_000), results.runs);
  }
  results.generatedAt = new Date().toISOString();
  results.durationSeconds = Math.round((Date.now() - started) / 1_000);
  results.loadAverageAtEnd = Math.round(loadavg()[0] * 100) / 100;

  mkdirSync(OUT, { recursive: true });
  await writeJson(join(OUT, 'results.json'), results);
  const files = [join(OUT, 'results.json')];
  if (results.throughput) {
    writeFileSync(join(OUT, 'throughput.svg'), throughputChart(results, results.throughput));
    files.push(join(OUT, 'throughput.svg'));
  }
  process.stdout.write(`${formatResults(results)}\n\n`);
  process.stdout.write(`figures: ${files.join(', ')}\n`);
  if (results.throughput) {
    const none = results.throughput.none.comparisons;
    const at = (c: number): Comparison => none.find((comparison) => comparison.concurrency === c) as Comparison;
    process.stdout.write(`ratio sagaflow/bullmq steps per second at concurrency 1: ${ratioSummary(at(1))}\n`);
    process.stdout.write(`ratio sagaflow/bullmq steps per second at concurrency 50: ${ratioSummary(at(50))}\n`);
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
