import type { LatencySummary, Spread } from './support/stats';
import type { Machine } from './support/machine';
import { lineChart } from './support/chart';
import { PERSISTENCE_LABELS, type Persistence } from './support/redis-server';
import type { ApiFigures } from './measure/api';
import type { AofFigures } from './measure/aof';
import type { CommandCounts } from './measure/commands';
import type { MemoryFigures } from './measure/memory';
import type { ScriptCosts } from './measure/scripts';
import type { CheckedDrainResult } from './measure/throughput';
import type { Comparison } from './measure/comparison';

export const CONCURRENCIES = [1, 10, 50, 100] as const;
export const PERSISTENCES: readonly Persistence[] = ['none', 'aof-everysec'];

/** The parts of the bench, each of which `BENCH_ONLY` may pick. */
export const PARTS = ['throughput', 'latency', 'api', 'memory', 'commands', 'aof', 'scripts', 'cluster'] as const;
export type Part = (typeof PARTS)[number];

/** sagaflow with more than one worker process at one concurrency each, one run. */
export interface MoreProcesses {
  processes: number;
  concurrency: number;
  stepsPerSecond: number;
  workerCpuUsPerStep: number;
  redisCpuUsPerStep: number;
}

export interface Throughput {
  /** Plain BullMQ against sagaflow, one worker process each, by concurrency (1, 10, 50, 100). */
  comparisons: Comparison[];
  /** sagaflow with two and three worker processes: more processes than the bench machine's 2 cores. */
  moreProcesses: MoreProcesses[];
}

/**
 * sagaflow on a Redis Cluster: worker processes at one concurrency, the sagas in one shard (so on one master) and
 * spread over more shards (so over the masters).
 */
export interface ClusterThroughput {
  masters: number;
  processes: number;
  concurrency: number;
  stepsPerSecondByShards: Record<number, number>;
}

/** Everything `results.json` holds; a part left out by `BENCH_ONLY` is absent. */
export interface BenchResults {
  generatedAt: string;
  command: string;
  quick: boolean;
  parts: Part[];
  durationSeconds: number;
  machine: Machine;
  loadAverageAtEnd: number;
  throughput?: Record<Persistence, Throughput>;
  latency?: Record<Persistence, { sagaflowStepTransition: LatencySummary; bullmqChainedJob: LatencySummary }>;
  api?: Record<Persistence, ApiFigures>;
  memory?: {
    runs: MemoryFigures[];
    /** State-only bytes per saga at the largest run over the smallest: about 1 when it grows linearly. */
    stateOnlyGrowthRatio: number;
  };
  commands?: { sagaflowPerStep: CommandCounts; bullmqPerJob: CommandCounts };
  aof?: { sagaflowPerStep: AofFigures; bullmqPerJob: AofFigures };
  scripts?: ScriptCosts;
  cluster?: ClusterThroughput;
  /** How each throughput figure was measured. */
  runs: { persistence: Persistence; series: string; concurrency: number; pair?: number; result: CheckedDrainResult }[];
}

function pad(text: string, width: number, left = false): string {
  return left ? text.padEnd(width) : text.padStart(width);
}

function integer(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string => cells.map((cell, i) => pad(cell, widths[i], i === 0)).join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

/** `median [min–max]` of a spread, each formatted by `format`. */
function spreadCell(figures: Spread, format: (value: number) => string): string {
  return `${format(figures.median)} [${format(figures.min)}–${format(figures.max)}]`;
}

const ratioText = (value: number): string => value.toFixed(2);
const micros = (value: number): string => value.toFixed(1);

/** The ratio at a concurrency, as the summary line prints it. */
export function ratioSummary(comparison: Comparison): string {
  const { ratio, pairs } = comparison;
  return `${ratioText(ratio.ofMedians)} (min ${ratioText(ratio.min)}, max ${ratioText(ratio.max)}, ${pairs} pairs)`;
}

function formatThroughput(throughput: Record<Persistence, Throughput>): string[] {
  const out: string[] = [
    'Throughput: no-op BullMQ jobs against steps of no-op 3-step sagas, one worker process each, in alternating runs',
    '(median [min–max] of the runs; ratio: of the medians [min–max of the pairs])',
  ];
  for (const p of PERSISTENCES) {
    const { comparisons, moreProcesses } = throughput[p];
    out.push(
      table(
        [`${PERSISTENCE_LABELS[p]}, concurrency`, 'pairs', 'BullMQ jobs/s', 'sagaflow steps/s', 'ratio'],
        comparisons.map((c) => [
          String(c.concurrency),
          String(c.pairs),
          spreadCell(c.bullmq.perSecond, integer),
          spreadCell(c.sagaflow.perSecond, integer),
          `${ratioText(c.ratio.ofMedians)} [${ratioText(c.ratio.min)}–${ratioText(c.ratio.max)}]`,
        ]),
      ),
      '',
      table(
        [
          `CPU µs per job or step, ${PERSISTENCE_LABELS[p]}`,
          'worker, BullMQ',
          'worker, sagaflow',
          'Redis, BullMQ',
          'Redis, sagaflow',
        ],
        comparisons.map((c) => [
          `concurrency ${c.concurrency}`,
          spreadCell(c.bullmq.workerCpuUsPerItem, micros),
          spreadCell(c.sagaflow.workerCpuUsPerItem, micros),
          spreadCell(c.bullmq.redisCpuUsPerItem, micros),
          spreadCell(c.sagaflow.redisCpuUsPerItem, micros),
        ]),
      ),
      ...moreProcesses.map(
        (m) =>
          `sagaflow, ${m.processes} worker processes at concurrency ${m.concurrency} each (one run): ` +
          `${integer(m.stepsPerSecond)} steps/s, CPU per step ${micros(m.workerCpuUsPerStep)} µs in the workers, ` +
          `${micros(m.redisCpuUsPerStep)} µs in Redis`,
      ),
      '',
    );
  }
  return out;
}

/** The table printed at the end of a run. */
export function formatResults(results: BenchResults): string {
  const { machine, throughput, cluster, latency, api, memory, commands, aof, scripts } = results;
  const out: string[] = [
    `sagaflow bench${results.quick ? ' (quick: tiny sizes, figures not meaningful)' : ''}: ${results.command}`,
    `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}; node ${machine.node}, ` +
      `redis ${machine.redis}, bullmq ${machine.bullmq}, ioredis ${machine.ioredis}`,
    `load average ${machine.loadAverageAtStart} at start, ${results.loadAverageAtEnd} at end; ` +
      `took ${results.durationSeconds} s; parts: ${results.parts.join(', ')}`,
    '',
  ];
  if (throughput) out.push(...formatThroughput(throughput));
  if (cluster) {
    out.push(
      `On a Redis Cluster of ${cluster.masters} masters (no persistence): sagaflow steps/s, ` +
        `${cluster.processes} worker processes at concurrency ${cluster.concurrency}, by shards`,
      table(
        ['shards', ...Object.keys(cluster.stepsPerSecondByShards)],
        [['steps/s', ...Object.values(cluster.stepsPerSecondByShards).map(integer)]],
      ),
      '',
    );
  }
  if (latency) {
    out.push(
      "Step transition latency, idle system, ms (one step's end to the next one's start)",
      table(
        ['', 'samples', 'p50', 'p99', 'mean', 'max'],
        PERSISTENCES.flatMap((p) => {
          const { sagaflowStepTransition: saga, bullmqChainedJob: chain } = latency[p];
          const cells = (s: LatencySummary): string[] => [
            String(s.samples),
            s.p50Ms.toFixed(3),
            s.p99Ms.toFixed(3),
            s.meanMs.toFixed(3),
            s.maxMs.toFixed(3),
          ];
          return [
            [`sagaflow, ${PERSISTENCE_LABELS[p]}`, ...cells(saga)],
            [`BullMQ chain (add next job), ${PERSISTENCE_LABELS[p]}`, ...cells(chain)],
          ];
        }),
      ),
      '',
    );
  }
  if (api) {
    out.push(
      `POST /sagas/transfer, autocannon, ${api.none.connections} connections, ${api.none.durationSeconds} s`,
      table(
        ['', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'non-2xx', 'errors', 'sagas', 'API RSS MiB'],
        PERSISTENCES.map((p) => {
          const a = api[p];
          return [
            PERSISTENCE_LABELS[p],
            integer(a.requestsPerSecond),
            String(a.p50Ms),
            String(a.p99Ms),
            integer(a.requests),
            String(a.non2xx),
            String(a.errors + a.timeouts),
            integer(a.sagasCreated),
            String(a.apiRssMiB),
          ];
        }),
      ),
      '',
    );
  }
  if (memory) {
    out.push(
      'Redis memory per completed 3-step saga, history kept (small payloads), bytes',
      table(
        ['kept sagas', 'everything', 'without completed jobs', 'saga state only', 'jobs kept', 'hash', 'history'],
        memory.runs.map((m) => [
          integer(m.sagas),
          integer(m.bytesPerSagaAll),
          integer(m.bytesPerSagaWithoutCompletedJobs),
          integer(m.bytesPerSagaStateOnly),
          integer(m.completedJobsKept),
          integer(m.stateHashBytes),
          `${integer(m.historyListBytes)} (${m.historyEntries} entries)`,
        ]),
      ),
      `saga state per saga, largest run / smallest: ${memory.stateOnlyGrowthRatio.toFixed(2)} (1.00 = linear growth)`,
      '',
    );
  }
  if (commands) {
    const row = (label: string, counts: CommandCounts): string[] => [
      label,
      counts.sentPerItem.toFixed(2),
      counts.roundTripsPerItem.toFixed(2),
      counts.insideScriptsPerItem.toFixed(2),
      Object.entries(counts.sentByName)
        .map(([name, count]) => `${name} ${count}`)
        .join(', '),
    ];
    out.push(
      'Redis commands, drained at concurrency 10 (MONITOR)',
      table(
        ['', 'sent', 'round trips', 'inside Lua', 'by name'],
        [
          row('sagaflow, per step (worker)', commands.sagaflowPerStep),
          row('plain BullMQ, per job (worker)', commands.bullmqPerJob),
        ],
      ),
      `per saga started (SagaClient.start): ${commands.sagaflowPerStep.producerSentPerItem} commands: ` +
        Object.entries(commands.sagaflowPerStep.producerByName)
          .map(([name, count]) => `${name} ${count}`)
          .join(', '),
      '',
    );
  }
  if (aof) {
    const row = (label: string, figures: AofFigures): string[] => [
      label,
      figures.bytesPerItem.toFixed(0),
      figures.commandsPerItem.toFixed(2),
      Object.entries(figures.byName)
        .map(([name, { commands: count, bytes }]) => `${name} ${count} (${bytes.toFixed(0)} B)`)
        .join(', '),
    ];
    out.push(
      'AOF appended by the workers, drained at concurrency 10 (AOF everysec), per step or job',
      table(
        ['', 'bytes', 'commands', 'by name (commands, bytes)'],
        [row('sagaflow, per step', aof.sagaflowPerStep), row('plain BullMQ, per job', aof.bullmqPerJob)],
      ),
      `per saga started: ${aof.sagaflowPerStep.producerBytesPerItem.toFixed(0)} bytes; ` +
        `per plain job added: ${aof.bullmqPerJob.producerBytesPerItem.toFixed(0)} bytes`,
      '',
    );
  }
  if (scripts) {
    out.push(
      `Redis time inside Lua scripts, µs (commandstats, 20th percentile of batches of 50 calls or of 20 ms windows)`,
      table(
        [
          'sagaflow, per transition',
          'begin-step',
          'complete-step and begin the next',
          'complete-step, last',
          'per step',
        ],
        [
          [
            `${integer(scripts.sagas)} sagas`,
            micros(scripts.beginUs),
            micros(scripts.completeAndBeginUs),
            micros(scripts.completeLastUs),
            micros(scripts.perStepUs),
          ],
        ],
      ),
      `plain BullMQ, per job (fetch and finish), ${integer(scripts.plainJobs)} jobs at concurrency 50: ` +
        `${micros(scripts.bullmqPerJobUs)} µs; a saga's one job adds as much per saga`,
      '',
    );
  }
  return out.join('\n').trimEnd();
}

/**
 * The chart for the README: the medians of the alternating runs against concurrency, sagaflow against plain
 * BullMQ, with the min–max range of the runs.
 */
export function throughputChart(results: BenchResults, throughput: Record<Persistence, Throughput>): string {
  const colors = { bullmq: '#1f77b4', sagaflow: '#ff7f0e' };
  const series = PERSISTENCES.flatMap((p) => {
    const { comparisons } = throughput[p];
    const points = (side: 'bullmq' | 'sagaflow') =>
      comparisons.map((c) => {
        const { median, min, max } = c[side].perSecond;
        return { x: c.concurrency, y: median, low: min, high: max };
      });
    const suffix = p === 'none' ? '' : ', AOF';
    const dashed = p !== 'none';
    return [
      { label: `plain BullMQ jobs/s${suffix}`, color: colors.bullmq, dashed, points: points('bullmq') },
      { label: `sagaflow steps/s${suffix}`, color: colors.sagaflow, dashed, points: points('sagaflow') },
    ];
  });
  const { machine } = results;
  return lineChart({
    title: 'No-op throughput: sagaflow steps/s vs plain BullMQ jobs/s, one worker process',
    subtitle: `${machine.cores} cores (${machine.cpu}), node ${machine.node}, redis ${machine.redis}, bullmq ${machine.bullmq}; solid: no persistence, dashed: AOF everysec; bars: min–max`,
    xLabel: 'concurrency',
    yLabel: 'jobs or steps per second (median of the runs)',
    xs: [...CONCURRENCIES],
    series,
  });
}
