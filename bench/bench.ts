import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { shardPrefixes } from '@sagaflow/core';
import { PrivateCluster } from '../tools/private-redis';
import { Harness, PREFIX, type Timing } from './harness';
import { measureApi } from './measure/api';
import { countCommands } from './measure/commands';
import { measureChainLatency, measureSagaLatency } from './measure/latency';
import { measureMemory, type MemoryFigures } from './measure/memory';
import { measurePlain, measureSagas, type CheckedDrainResult } from './measure/throughput';
import { BENCH_STEPS } from './saga/bench.saga';
import {
  CONCURRENCIES,
  PERSISTENCES,
  formatResults,
  throughputChart,
  type BenchResults,
  type ByConcurrency,
  type ClusterThroughput,
  type Throughput,
} from './report';
import { describeMachine } from './support/machine';
import { track } from './support/processes';
import { startBenchRedis, PERSISTENCE_LABELS, type Persistence } from './support/redis-server';
import { round } from './support/stats';
import { writeJson } from './support/write-json';

/**
 * `npm run bench`: plain BullMQ against sagaflow (one, two and three worker processes) on private Redis servers
 * (no persistence, then AOF everysec), and sagaflow on a private Redis Cluster over 1, 3 and 6 shards.
 * BENCH_QUICK=1 runs tiny sizes in seconds (for the tests; figures not meaningful). Output: a table on stdout,
 * `results.json` and `throughput.svg` in BENCH_OUT (default `bench/`, or `bench/tmp/` when quick), and a last
 * line with the ratio at concurrency 50.
 */
const QUICK = process.env.BENCH_QUICK === '1';
const ROOT = process.env.BENCH_ROOT ?? process.cwd();
const OUT = process.env.BENCH_OUT ?? join(ROOT, 'bench', QUICK ? 'tmp' : '');

const SIZES = QUICK
  ? {
      // A window long enough that a stall of the loaded machine (CI runs other suites beside it) does not make a
      // rate of zero, and a ratio of 0 / 0.
      timing: { warmupMs: 50, windowMs: 500 },
      minPlainJobs: 1_500,
      maxPlainJobs: 10_000,
      minSagas: 200,
      maxSagas: 1_500,
      latencySagas: 30,
      api: { connections: 50, warmupSeconds: 0, durationSeconds: 1 },
      memorySagas: [100, 300],
      commandItems: 30,
    }
  : {
      timing: { warmupMs: 500, windowMs: 3_000 },
      minPlainJobs: 10_000,
      maxPlainJobs: 150_000,
      minSagas: 2_000,
      maxSagas: 40_000,
      latencySagas: 1_000,
      api: { connections: 50, warmupSeconds: 2, durationSeconds: 10 },
      memorySagas: [1_000, 10_000],
      commandItems: 200,
    };

/** How much faster the next concurrency is guessed to be, to queue enough work without queueing far too much. */
const GROWTH: Record<number, number> = { 1: 1, 10: 4, 50: 2, 100: 1.3 };

function toQueue(expectedPerSecond: number, timing: Timing, min: number, max: number): number {
  const needed = (expectedPerSecond * (timing.warmupMs + timing.windowMs) * 1.6) / 1_000;
  return Math.round(Math.min(max, Math.max(min, needed)));
}

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

async function measureThroughput(
  harness: Harness,
  persistence: Persistence,
  runs: BenchResults['runs'],
): Promise<Throughput> {
  const { timing } = SIZES;
  const bullmq: ByConcurrency = {};
  let expected = 8_000;
  for (const c of CONCURRENCIES) {
    const jobs = toQueue(expected * GROWTH[c], timing, SIZES.minPlainJobs, SIZES.maxPlainJobs);
    const result = await measurePlain(harness, c, jobs, timing);
    checkCount(result);
    bullmq[c] = round(result.perSecond);
    expected = result.perSecond;
    runs.push({ persistence, series: 'bullmq', concurrency: c, result });
    log(`${PERSISTENCE_LABELS[persistence]}: plain BullMQ c=${c}: ${bullmq[c]} jobs/s (${jobs} queued)`);
  }
  const sagaflow = async (processes: number, firstGuess: (c: number) => number): Promise<ByConcurrency> => {
    const figures: ByConcurrency = {};
    let expectedSagas = 0;
    for (const c of CONCURRENCIES) {
      expectedSagas = expectedSagas === 0 ? firstGuess(c) : expectedSagas * GROWTH[c];
      const sagas = toQueue(expectedSagas, timing, SIZES.minSagas, SIZES.maxSagas);
      const result = await measureSagas(harness, processes, c, sagas, timing);
      checkCount(result);
      figures[c] = round(result.perSecond);
      expectedSagas = result.perSecond / BENCH_STEPS;
      runs.push({ persistence, series: `sagaflow-${processes}`, concurrency: c, result });
      log(
        `${PERSISTENCE_LABELS[persistence]}: sagaflow ${processes} process(es) c=${c}: ${figures[c]} steps/s (${sagas} sagas queued)`,
      );
    }
    return figures;
  };
  const one = await sagaflow(1, () => 1_000);
  const two = await sagaflow(2, (c) => (one[c] / BENCH_STEPS) * 1.5);
  // On 2 cores a third process finds no core of its own: guess the rate of two.
  const three = await sagaflow(3, (c) => two[c] / BENCH_STEPS);
  return {
    bullmqJobsPerSecond: bullmq,
    sagaflowStepsPerSecond1Process: one,
    sagaflowStepsPerSecond2Processes: two,
    sagaflowStepsPerSecond3Processes: three,
  };
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

async function main(): Promise<void> {
  const started = Date.now();
  const machine = describeMachine(ROOT);
  const runs: BenchResults['runs'] = [];
  const throughput = {} as BenchResults['throughput'];
  const latency = {} as BenchResults['latency'];
  const api = {} as BenchResults['api'];
  let memoryRuns: MemoryFigures[] = [];
  let commands: BenchResults['commands'] | undefined;

  for (const persistence of PERSISTENCES) {
    const server = await startBenchRedis(persistence);
    const harness = new Harness(server);
    try {
      log(`${PERSISTENCE_LABELS[persistence]}: redis-server on port ${server.port}`);
      throughput[persistence] = await measureThroughput(harness, persistence, runs);
      latency[persistence] = {
        sagaflowStepTransition: await measureSagaLatency(harness, SIZES.latencySagas),
        bullmqChainedJob: await measureChainLatency(harness, SIZES.latencySagas),
      };
      log(`${PERSISTENCE_LABELS[persistence]}: latency ${JSON.stringify(latency[persistence])}`);
      api[persistence] = await measureApi(harness, ROOT, SIZES.api);
      log(`${PERSISTENCE_LABELS[persistence]}: API ${JSON.stringify(api[persistence])}`);
      if (persistence === 'none') {
        memoryRuns = [];
        for (const sagas of SIZES.memorySagas) memoryRuns.push(await measureMemory(harness, sagas));
        log(`memory ${JSON.stringify(memoryRuns)}`);
        commands = {
          sagaflowPerStep: await countCommands(harness, 'saga', SIZES.commandItems),
          bullmqPerJob: await countCommands(harness, 'plain', SIZES.commandItems * 3),
        };
      }
    } finally {
      await harness.close();
      await server.destroy();
    }
  }

  const none = throughput.none;
  const cluster = await measureCluster(none.sagaflowStepsPerSecond2Processes[50], runs);
  const results: BenchResults = {
    generatedAt: new Date().toISOString(),
    command: QUICK ? 'BENCH_QUICK=1 npm run bench' : 'npm run bench',
    quick: QUICK,
    durationSeconds: Math.round((Date.now() - started) / 1_000),
    machine,
    loadAverageAtEnd: Math.round(loadavg()[0] * 100) / 100,
    concurrencies: [...CONCURRENCIES],
    throughput,
    latency,
    api,
    memory: {
      runs: memoryRuns,
      stateOnlyGrowthRatio: round(
        memoryRuns[memoryRuns.length - 1].bytesPerSagaStateOnly / memoryRuns[0].bytesPerSagaStateOnly,
        3,
      ),
    },
    commands: commands as BenchResults['commands'],
    cluster,
    ratioAt50: round(none.sagaflowStepsPerSecond1Process[50] / none.bullmqJobsPerSecond[50], 2),
    runs,
  };

  mkdirSync(OUT, { recursive: true });
  await writeJson(join(OUT, 'results.json'), results);
  writeFileSync(join(OUT, 'throughput.svg'), throughputChart(results));
  process.stdout.write(`${formatResults(results)}\n\n`);
  process.stdout.write(`figures: ${join(OUT, 'results.json')}, chart: ${join(OUT, 'throughput.svg')}\n`);
  process.stdout.write(`ratio sagaflow/bullmq steps per second at concurrency 50: ${results.ratioAt50.toFixed(2)}\n`);
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
