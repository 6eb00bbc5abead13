import { randomUUID } from 'node:crypto';
import type { Harness } from '../harness';
import { sleep } from '../support/processes';
import { summarizeLatency, type LatencySummary } from '../support/stats';
import { PLAIN_JOB_OPTIONS } from '../workers/plain-queue';

/** The gaps between one step's end and the next one's start, from `[start0, end0, start1, end1, …]`. */
function gaps(times: readonly number[]): number[] {
  const result: number[] = [];
  for (let i = 2; i < times.length; i += 2) result.push(times[i] - times[i - 1]);
  return result;
}

/** Waits until the queue has no active job: the last job of the saga (or chain) has ended. */
async function untilIdle(harness: Harness, queue: 'saga' | 'plain'): Promise<void> {
  const key = harness.queueKey(queue, 'active');
  while ((await harness.redis.llen(key)) > 0) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Step transition latency on an idle system: one saga at a time, each step notes its start and end on the
 * worker's monotonic clock; a transition is from one step's end to the next step's start (2 per saga).
 */
export async function measureSagaLatency(harness: Harness, sagas: number): Promise<LatencySummary> {
  await harness.flush();
  const [worker] = await harness.workers('saga', 1);
  try {
    worker.go(10, 'latency');
    await sleep(200);
    const samples: number[] = [];
    for (let i = 0; i < sagas; i++) {
      const { id } = await harness.client.start('bench', { orderId: `order-${i}` });
      samples.push(...gaps(await worker.finished(id)));
      await untilIdle(harness, 'saga');
    }
    return summarizeLatency(samples);
  } finally {
    await worker.halt();
  }
}

/**
 * The same for plain BullMQ as a baseline: chains of 3 jobs where each job does its no-op work, then adds the
 * next job and ends (a naive chain, with no state of its own).
 */
export async function measureChainLatency(harness: Harness, chains: number): Promise<LatencySummary> {
  await harness.flush();
  const [worker] = await harness.workers('plain', 1);
  try {
    worker.go(10, 'latency');
    await sleep(200);
    const samples: number[] = [];
    for (let i = 0; i < chains; i++) {
      const chain = randomUUID();
      await harness.plainQueue.add('link', { chain, link: 0, remaining: 2 }, PLAIN_JOB_OPTIONS);
      samples.push(...gaps(await worker.finished(chain)));
      await untilIdle(harness, 'plain');
    }
    return summarizeLatency(samples);
  } finally {
    await worker.halt();
  }
}
