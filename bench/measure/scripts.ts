import type { Harness } from '../harness';
import { BENCH_OUTPUTS, BENCH_STEPS, benchSaga } from '../saga/bench.saga';
import { info } from '../support/redis-server';
import { sleep } from '../support/processes';
import { percentile, round } from '../support/stats';

/** Calls of one transition made at once, and the plain worker's concurrency: as in the runs at concurrency 50. */
const BATCH = 50;

/**
 * Redis time inside Lua scripts, in µs: per transition of each kind the steps of a no-op saga go through,
 * and per plain BullMQ job. What a step or a job costs inside Redis, without most of the noise of a throughput
 * run on a shared machine.
 */
export interface ScriptCosts {
  sagas: number;
  /** `begin-step` of the first step. */
  beginUs: number;
  /** `complete-step` that goes on: it records the step and begins the next one. */
  completeAndBeginUs: number;
  /** `complete-step` of the last step, which ends the saga. */
  completeLastUs: number;
  /** A saga's transitions (one begin, one complete per step) per step; BullMQ's scripts for its job not counted. */
  perStepUs: number;
  plainJobs: number;
  /** BullMQ's scripts per plain job (fetching it and finishing it): those of a saga's one job, too. */
  bullmqPerJobUs: number;
}

/** Calls of scripts (EVALSHA, and EVAL when the script was not loaded) and their time, since the last reset. */
async function scriptStats(harness: Harness): Promise<{ calls: number; usec: number }> {
  const stats = await info(harness.redis, 'commandstats');
  const total = { calls: 0, usec: 0 };
  for (const command of ['evalsha', 'eval']) {
    const fields = /calls=(\d+),usec=(\d+)/.exec(stats[`cmdstat_${command}`] ?? '');
    if (fields) [total.calls, total.usec] = [total.calls + Number(fields[1]), total.usec + Number(fields[2])];
  }
  return total;
}

/**
 * Commandstats times are wall time: a batch during which Redis lost its core to another process reads high, so
 * each figure is the 20th percentile of its batches (or windows), resetting the statistics before each.
 */
const TYPICAL = 20;

/**
 * Calls the transitions of `sagas` fresh no-op sagas as a worker going on from step to step does (begin the
 * first step, complete each, the last one ending the saga), `BATCH` at once; then drains `plainJobs` no-op jobs
 * with the plain BullMQ worker process, reading its scripts' time every 20 ms.
 */
export async function measureScripts(harness: Harness, sagas: number, plainJobs: number): Promise<ScriptCosts> {
  await harness.flush();
  const ids = await harness.startSagas(sagas);
  const names = benchSaga.steps.map((step) => step.name);
  const batches = async (call: (sagaId: string) => Promise<unknown>): Promise<number> => {
    const perCall: number[] = [];
    for (let from = 0; from < ids.length; from += BATCH) {
      const batch = ids.slice(from, from + BATCH);
      await harness.redis.config('RESETSTAT');
      await Promise.all(batch.map(call));
      // Per transition: the store sends the transitions of one tick in few calls (see TransitionBatches).
      perCall.push((await scriptStats(harness)).usec / batch.length);
    }
    return percentile(perCall, TYPICAL);
  };
  const ref = (sagaId: string, index: number) => ({ sagaId, phase: 'run' as const, index, gen: 0 });
  const complete = (index: number) => (sagaId: string) =>
    harness.store.complete(ref(sagaId, index), 1, names[index], BENCH_OUTPUTS[index], sagaId, names[index + 1] ?? '');
  const beginUs = await batches((sagaId) => harness.store.begin(ref(sagaId, 0), 1, names[0], sagaId));
  const goingOn: number[] = [];
  for (let index = 0; index < BENCH_STEPS - 1; index++) goingOn.push(await batches(complete(index)));
  const completeLastUs = await batches(complete(BENCH_STEPS - 1));
  if ((await harness.countCompleted(ids)) !== ids.length) throw new Error('scripts: not every saga completed');
  const completeAndBeginUs = goingOn.reduce((sum, us) => sum + us, 0) / goingOn.length;
  const perSaga = beginUs + (BENCH_STEPS - 1) * completeAndBeginUs + completeLastUs;
  return {
    sagas,
    beginUs: round(beginUs, 1),
    completeAndBeginUs: round(completeAndBeginUs, 1),
    completeLastUs: round(completeLastUs, 1),
    perStepUs: round(perSaga / BENCH_STEPS, 1),
    plainJobs,
    bullmqPerJobUs: round(await bullmqPerJob(harness, plainJobs), 1),
  };
}

/** BullMQ's script time per job: a typical window's time per call, times the calls a job took over the drain. */
async function bullmqPerJob(harness: Harness, jobs: number): Promise<number> {
  await harness.flush();
  const [worker] = await harness.workers('plain', 1);
  await harness.addPlainJobs(jobs);
  await harness.redis.config('RESETSTAT');
  worker.go(BATCH);
  const perCall: number[] = [];
  let calls = 0;
  // The worker's count comes over IPC: counting what is left in Redis would run a script of its own.
  while ((await worker.count()).ran < jobs) {
    await sleep(20);
    const window = await scriptStats(harness);
    await harness.redis.config('RESETSTAT');
    if (window.calls === 0) continue;
    perCall.push(window.usec / window.calls);
    calls += window.calls;
  }
  await worker.halt();
  return percentile(perCall, TYPICAL) * (calls / jobs);
}
