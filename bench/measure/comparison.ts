import type { Harness, Timing } from '../harness';
import { BENCH_STEPS } from '../saga/bench.saga';
import { round, spread, type Spread } from '../support/stats';
import { measurePlain, measureSagas, type CheckedDrainResult } from './throughput';

/** One side of a comparison: per run, items (jobs or steps) per second and the CPU they cost. */
export interface SideFigures {
  perSecond: Spread;
  /** CPU time of the worker process per item, in µs (see `DrainResult`). */
  workerCpuUsPerItem: Spread;
  /** CPU time of Redis per item, in µs. */
  redisCpuUsPerItem: Spread;
}

/**
 * Plain BullMQ (no-op jobs) against sagaflow (steps of no-op 3-step sagas), one worker process each, at one
 * concurrency: `pairs` runs of each, alternating, so that a machine that slows down or speeds up during the
 * comparison weighs on both sides alike.
 */
export interface Comparison {
  concurrency: number;
  pairs: number;
  bullmq: SideFigures;
  sagaflow: SideFigures;
  /** sagaflow steps/s over BullMQ jobs/s: the ratio of the medians, and the min, max and values of each pair's. */
  ratio: { ofMedians: number; min: number; max: number; pairs: number[] };
}

/** Items to queue for a run, enough to last its warm-up and window at about the expected rate. */
export interface Sizing {
  timing: Timing;
  minPlainJobs: number;
  maxPlainJobs: number;
  minSagas: number;
  maxSagas: number;
}

export type Side = 'bullmq' | 'sagaflow';

/** Told of each run, to log it and keep it. */
export type RunListener = (side: Side, pair: number, result: CheckedDrainResult) => void;

export function toQueue(expectedPerSecond: number, timing: Timing, min: number, max: number): number {
  const needed = (expectedPerSecond * (timing.warmupMs + timing.windowMs) * 1.6) / 1_000;
  return Math.round(Math.min(max, Math.max(min, needed)));
}

function figures(results: CheckedDrainResult[]): SideFigures {
  return {
    perSecond: spread(results.map((result) => result.perSecond)),
    workerCpuUsPerItem: spread(
      results.map((result) => result.workerCpuUsPerItem),
      1,
    ),
    redisCpuUsPerItem: spread(
      results.map((result) => result.redisCpuUsPerItem),
      1,
    ),
  };
}

/**
 * Runs the comparison at `concurrency`: pair `i` runs BullMQ first when `i` is even, sagaflow first when odd.
 * @param expected - the rates to size the first runs by (jobs/s, steps/s); updated with each run's figure
 */
export async function compare(
  harness: Harness,
  concurrency: number,
  pairs: number,
  sizing: Sizing,
  expected: Record<Side, number>,
  onRun: RunListener,
): Promise<Comparison> {
  const { timing } = sizing;
  const results: Record<Side, CheckedDrainResult[]> = { bullmq: [], sagaflow: [] };
  const run = async (side: Side, pair: number): Promise<void> => {
    const result =
      side === 'bullmq'
        ? await measurePlain(
            harness,
            concurrency,
            toQueue(expected.bullmq, timing, sizing.minPlainJobs, sizing.maxPlainJobs),
            timing,
          )
        : await measureSagas(
            harness,
            1,
            concurrency,
            toQueue(expected.sagaflow / BENCH_STEPS, timing, sizing.minSagas, sizing.maxSagas),
            timing,
          );
    expected[side] = result.perSecond;
    results[side].push(result);
    onRun(side, pair, result);
  };
  for (let pair = 0; pair < pairs; pair++) {
    const order: Side[] = pair % 2 === 0 ? ['bullmq', 'sagaflow'] : ['sagaflow', 'bullmq'];
    for (const side of order) await run(side, pair);
  }
  const bullmq = figures(results.bullmq);
  const sagaflow = figures(results.sagaflow);
  const pairRatios = results.sagaflow.map((result, i) => round(result.perSecond / results.bullmq[i].perSecond, 3));
  return {
    concurrency,
    pairs,
    bullmq,
    sagaflow,
    ratio: {
      ofMedians: round(sagaflow.perSecond.median / bullmq.perSecond.median, 3),
      min: Math.min(...pairRatios),
      max: Math.max(...pairRatios),
      pairs: pairRatios,
    },
  };
}
