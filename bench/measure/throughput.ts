import { BENCH_STEPS } from '../saga/bench.saga';
import type { DrainResult, Harness, Progress, Timing } from '../harness';
import type { WorkerProcess } from '../support/processes';

/** A throughput run, with its count checked against Redis once the workers have stopped. */
export interface CheckedDrainResult extends DrainResult {
  /** Jobs (or steps) the worker processes ran in the whole run. */
  ranByWorkers: number;
  /** The same, read from Redis: jobs no longer queued, or steps whose state is `succeeded`. */
  doneInRedis: number;
}

/** Items the worker processes ran since `go`, and their CPU time, added up. */
async function ran(workers: WorkerProcess[]): Promise<Progress> {
  const counts = await Promise.all(workers.map((worker) => worker.count()));
  return counts.reduce((sum, count) => ({ done: sum.done + count.ran, cpuUs: sum.cpuUs + count.cpuUs }), {
    done: 0,
    cpuUs: 0,
  });
}

/** Plain BullMQ: no-op jobs queued with `addBulk`, then drained by one worker process. */
export async function measurePlain(
  harness: Harness,
  concurrency: number,
  queued: number,
  timing: Timing,
): Promise<CheckedDrainResult> {
  await harness.flush();
  const workers = await harness.workers('plain', 1);
  await harness.addPlainJobs(queued);
  let result: DrainResult;
  try {
    result = await harness.measureDrain(workers, concurrency, queued, () => ran(workers), timing);
  } finally {
    await Promise.all(workers.map((worker) => worker.halt()));
  }
  return {
    ...result,
    ranByWorkers: (await ran(workers)).done,
    doneInRedis: queued - (await harness.plainJobsLeft()),
  };
}

/**
 * sagaflow: no-op 3-step sagas started through `SagaClient.start`, then run by `processes` worker processes at
 * `concurrency` each. Progress is counted in steps: each worker process counts the runs of the bench steps, and
 * the parent polls those counts; at the end the total is checked against the steps the saga states record as
 * succeeded. (Counting finished sagas would not do: an engine that runs each step as a job of its own finishes
 * no saga until most first steps are done, since the next step's job joins the back of the queue.)
 */
export async function measureSagas(
  harness: Harness,
  processes: number,
  concurrency: number,
  sagas: number,
  timing: Timing,
): Promise<CheckedDrainResult> {
  await harness.flush();
  const workers = await harness.workers('saga', processes);
  const ids = await harness.startSagas(sagas);
  let result: DrainResult;
  try {
    result = await harness.measureDrain(workers, concurrency, sagas * BENCH_STEPS, () => ran(workers), timing);
  } finally {
    await Promise.all(workers.map((worker) => worker.halt()));
  }
  return { ...result, ranByWorkers: (await ran(workers)).done, doneInRedis: await harness.countSucceededSteps(ids) };
}
