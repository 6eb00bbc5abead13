import type { LatencySummary } from './support/stats';
import type { Machine } from './support/machine';
import { lineChart } from './support/chart';
import { PERSISTENCE_LABELS, type Persistence } from './support/redis-server';
import type { ApiFigures } from './measure/api';
import type { CommandCounts } from './measure/commands';
import type { MemoryFigures } from './measure/memory';
import type { CheckedDrainResult } from './measure/throughput';

export const CONCURRENCIES = [1, 10, 50, 100] as const;
export const PERSISTENCES: readonly Persistence[] = ['none', 'aof-everysec'];

/** Figures per concurrency, keyed by the concurrency as a string (JSON object keys). */
export type ByConcurrency = Record<string, number>;

export interface Throughput {
  /** Plain BullMQ, one worker process: no-op jobs per second. */
  bullmqJobsPerSecond: ByConcurrency;
  /** sagaflow, one worker process: steps of no-op 3-step sagas completed per second. */
  sagaflowStepsPerSecond1Process: ByConcurrency;
  /** sagaflow, two worker processes at that concurrency each. */
  sagaflowStepsPerSecond2Processes: ByConcurrency;
  /** sagaflow, three worker processes at that concurrency each: more processes than the bench machine's 2 cores. */
  sagaflowStepsPerSecond3Processes: ByConcurrency;
}

/** Everything `bench/results.json` holds. */
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

export interface BenchResults {
  generatedAt: string;
  command: string;
  quick: boolean;
  durationSeconds: number;
  machine: Machine;
  loadAverageAtEnd: number;
  concurrencies: number[];
  throughput: Record<Persistence, Throughput>;
  latency: Record<Persistence, { sagaflowStepTransition: LatencySummary; bullmqChainedJob: LatencySummary }>;
  api: Record<Persistence, ApiFigures>;
  memory: {
    runs: MemoryFigures[];
    /** State-only bytes per saga at the largest run over the smallest: about 1 when it grows linearly. */
    stateOnlyGrowthRatio: number;
  };
  commands: { sagaflowPerStep: CommandCounts; bullmqPerJob: CommandCounts };
  cluster: ClusterThroughput;
  /** sagaflow steps/s over plain BullMQ jobs/s at concurrency 50, one worker process each, no persistence. */
  ratioAt50: number;
  /** How each throughput figure was measured. */
  runs: { persistence: Persistence; series: string; concurrency: number; result: CheckedDrainResult }[];
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

/** The table printed at the end of a run. */
export function formatResults(results: BenchResults): string {
  const { machine } = results;
  const out: string[] = [];
  out.push(
    `sagaflow bench${results.quick ? ' (quick: tiny sizes, figures not meaningful)' : ''}: ${results.command}`,
    `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}; node ${machine.node}, ` +
      `redis ${machine.redis}, bullmq ${machine.bullmq}, ioredis ${machine.ioredis}`,
    `load average ${machine.loadAverageAtStart} at start, ${results.loadAverageAtEnd} at end; ` +
      `took ${results.durationSeconds} s`,
    '',
  );
  const header = (p: Persistence): string[] => [
    `${PERSISTENCE_LABELS[p]}: per second, by concurrency`,
    ...CONCURRENCIES.map((c) => String(c)),
  ];
  const row = (p: Persistence, label: string, pick: (t: Throughput) => ByConcurrency): string[] => [
    label,
    ...CONCURRENCIES.map((c) => integer(pick(results.throughput[p])[c])),
  ];
  const ratio = (p: Persistence, c: number): string => {
    const t = results.throughput[p];
    return (t.sagaflowStepsPerSecond1Process[c] / t.bullmqJobsPerSecond[c]).toFixed(2);
  };
  out.push('Throughput, no-op jobs or steps (concurrency is per worker process)');
  for (const p of PERSISTENCES) {
    out.push(
      table(header(p), [
        row(p, 'plain BullMQ jobs/s, 1 process', (t) => t.bullmqJobsPerSecond),
        row(p, 'sagaflow steps/s, 1 process', (t) => t.sagaflowStepsPerSecond1Process),
        row(p, 'sagaflow steps/s, 2 processes', (t) => t.sagaflowStepsPerSecond2Processes),
        row(p, 'sagaflow steps/s, 3 processes', (t) => t.sagaflowStepsPerSecond3Processes),
        ['sagaflow / BullMQ, 1 process', ...CONCURRENCIES.map((c) => ratio(p, c))],
      ]),
      '',
    );
  }
  const { cluster } = results;
  out.push(
    `On a Redis Cluster of ${cluster.masters} masters (no persistence): sagaflow steps/s, ` +
      `${cluster.processes} worker processes at concurrency ${cluster.concurrency}, by shards`,
    table(
      ['shards', ...Object.keys(cluster.stepsPerSecondByShards)],
      [['steps/s', ...Object.values(cluster.stepsPerSecondByShards).map(integer)]],
    ),
    '',
  );
  out.push(
    "Step transition latency, idle system, ms (one step's end to the next one's start)",
    table(
      ['', 'samples', 'p50', 'p99', 'mean', 'max'],
      PERSISTENCES.flatMap((p) => {
        const { sagaflowStepTransition: saga, bullmqChainedJob: chain } = results.latency[p];
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
    `POST /sagas/transfer, autocannon, ${results.api.none.connections} connections, ${results.api.none.durationSeconds} s`,
    table(
      ['', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'non-2xx', 'errors', 'sagas', 'API RSS MiB'],
      PERSISTENCES.map((p) => {
        const a = results.api[p];
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
    'Redis memory per completed 3-step saga, history kept (small payloads), bytes',
    table(
      ['kept sagas', 'everything', 'without completed jobs', 'saga state only', 'jobs kept', 'hash', 'history'],
      results.memory.runs.map((m) => [
        integer(m.sagas),
        integer(m.bytesPerSagaAll),
        integer(m.bytesPerSagaWithoutCompletedJobs),
        integer(m.bytesPerSagaStateOnly),
        integer(m.completedJobsKept),
        integer(m.stateHashBytes),
        `${integer(m.historyListBytes)} (${m.historyEntries} entries)`,
      ]),
    ),
    `saga state per saga, largest run / smallest: ${results.memory.stateOnlyGrowthRatio.toFixed(2)} (1.00 = linear growth)`,
    '',
    'Redis commands, drained at concurrency 10 (MONITOR)',
    table(
      ['', 'sent', 'round trips', 'inside Lua', 'by name'],
      [
        ['sagaflow, per step (worker)', results.commands.sagaflowPerStep],
        ['plain BullMQ, per job (worker)', results.commands.bullmqPerJob],
      ].map(([label, c]) => {
        const counts = c as CommandCounts;
        return [
          label as string,
          counts.sentPerItem.toFixed(2),
          counts.roundTripsPerItem.toFixed(2),
          counts.insideScriptsPerItem.toFixed(2),
          Object.entries(counts.sentByName)
            .map(([name, count]) => `${name} ${count}`)
            .join(', '),
        ];
      }),
    ),
    `per saga started (SagaClient.start): ${results.commands.sagaflowPerStep.producerSentPerItem} commands: ` +
      Object.entries(results.commands.sagaflowPerStep.producerByName)
        .map(([name, count]) => `${name} ${count}`)
        .join(', '),
  );
  return out.join('\n');
}

/** The chart for the README: throughput against concurrency, sagaflow against plain BullMQ. */
export function throughputChart(results: BenchResults): string {
  const colors = { bullmq: '#1f77b4', one: '#ff7f0e', two: '#2ca02c', three: '#9467bd' };
  const series = PERSISTENCES.flatMap((p) => {
    const t = results.throughput[p];
    const points = (values: ByConcurrency) => CONCURRENCIES.map((c) => ({ x: c, y: values[c] }));
    const suffix = p === 'none' ? '' : ', AOF';
    const dashed = p !== 'none';
    return [
      { label: `plain BullMQ jobs/s${suffix}`, color: colors.bullmq, dashed, points: points(t.bullmqJobsPerSecond) },
      {
        label: `sagaflow 1 process${suffix}`,
        color: colors.one,
        dashed,
        points: points(t.sagaflowStepsPerSecond1Process),
      },
      {
        label: `sagaflow 2 processes${suffix}`,
        color: colors.two,
        dashed,
        points: points(t.sagaflowStepsPerSecond2Processes),
      },
      {
        label: `sagaflow 3 processes${suffix}`,
        color: colors.three,
        dashed,
        points: points(t.sagaflowStepsPerSecond3Processes),
      },
    ];
  });
  const { machine } = results;
  return lineChart({
    title: 'No-op throughput: sagaflow steps/s vs plain BullMQ jobs/s',
    subtitle: `${machine.cores} cores (${machine.cpu}), node ${machine.node}, redis ${machine.redis}, bullmq ${machine.bullmq}; solid: no persistence, dashed: AOF everysec`,
    xLabel: 'concurrency per worker process',
    yLabel: 'jobs or steps per second',
    xs: [...CONCURRENCIES],
    series,
  });
}
