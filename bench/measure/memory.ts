import { queueName } from '@sagaflow/core';
import { PREFIX, type Harness } from '../harness';
import { benchSaga } from '../saga/bench.saga';
import { sleep } from '../support/processes';
import { deleteMatching, usedMemory } from '../support/redis-server';
import { round } from '../support/stats';

export interface MemoryFigures {
  sagas: number;
  /** used_memory added per completed saga, with everything the run left in Redis. */
  bytesPerSagaAll: number;
  /** …after removing the completed jobs BullMQ keeps (up to 1,000). */
  bytesPerSagaWithoutCompletedJobs: number;
  /** …after removing every key of the saga's BullMQ queue (its event stream too): saga state, history, indexes. */
  bytesPerSagaStateOnly: number;
  /** Completed jobs BullMQ kept at the end of the run. */
  completedJobsKept: number;
  /** MEMORY USAGE of one saga's state hash and history list. */
  stateHashBytes: number;
  historyListBytes: number;
  historyEntries: number;
}

/**
 * Redis memory per completed 3-step saga with its state and history kept: `sagas` sagas run to the end on one
 * worker process (concurrency 50), then `used_memory` is compared with what it was before they were started.
 */
export async function measureMemory(harness: Harness, sagas: number): Promise<MemoryFigures> {
  await harness.flush();
  const [worker] = await harness.workers('saga', 1);
  try {
    await sleep(300);
    const before = await usedMemory(harness.redis);
    const ids = await harness.startSagas(sagas);
    worker.go(50);
    while ((await harness.sagasNotFinished()) > 0) await sleep(50);
    while ((await harness.redis.llen(harness.queueKey('saga', 'active'))) > 0) await sleep(20);
    await sleep(500);
    const completed = await harness.countCompleted(ids);
    if (completed !== sagas) throw new Error(`only ${completed} of ${sagas} sagas completed`);
    const all = await usedMemory(harness.redis);

    const queue = harness.queues.get(benchSaga.name);
    const completedJobsKept = await queue.getJobCountByTypes('completed');
    await queue.clean(0, 1_000_000, 'completed');
    const withoutCompletedJobs = await usedMemory(harness.redis);
    await deleteMatching(harness.redis, `${PREFIX}:${queueName(benchSaga.name)}:*`);
    const stateOnly = await usedMemory(harness.redis);

    const sample = ids[Math.floor(ids.length / 2)];
    const perSaga = (used: number): number => round((used - before) / sagas);
    return {
      sagas,
      bytesPerSagaAll: perSaga(all),
      bytesPerSagaWithoutCompletedJobs: perSaga(withoutCompletedJobs),
      bytesPerSagaStateOnly: perSaga(stateOnly),
      completedJobsKept,
      stateHashBytes: Number(await harness.redis.memory('USAGE', harness.store.keys.state(sample))),
      historyListBytes: Number(await harness.redis.memory('USAGE', harness.store.keys.history(sample))),
      historyEntries: await harness.redis.llen(harness.store.keys.history(sample)),
    };
  } finally {
    await worker.halt();
  }
}
