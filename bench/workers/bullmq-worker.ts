import { performance } from 'node:perf_hooks';
import { Queue, Worker, type Job } from 'bullmq';
import { redisClient } from '../../tools/redis-client';
import { PLAIN_JOB_OPTIONS, PLAIN_QUEUE, type ChainJobData } from './plain-queue';
import { readConfig, serve, tell } from './protocol';

/**
 * A plain BullMQ worker process. Throughput mode: a no-op processor. Latency mode: a naive chain, the baseline of
 * a step transition: each job does its (no-op) work, then adds the next job of its chain and ends.
 */
const config = readConfig();
const connection = redisClient(config.redisUrl);
// The baseline's one queue, under the first (here the only) prefix.
const [prefix] = [config.prefix].flat();
const queue = new Queue(PLAIN_QUEUE, { connection, prefix });
const chains = new Map<string, number[]>();
let worker: Worker | undefined;
let ran = 0;

async function chained(job: Job<ChainJobData>): Promise<void> {
  ran++;
  const startedAt = performance.now();
  const endedAt = performance.now();
  const { chain, link, remaining } = job.data;
  const times = chains.get(chain) ?? [];
  times[2 * link] = startedAt;
  times[2 * link + 1] = endedAt;
  chains.set(chain, times);
  if (remaining > 0) {
    await queue.add('link', { chain, link: link + 1, remaining: remaining - 1 }, PLAIN_JOB_OPTIONS);
  } else {
    chains.delete(chain);
    tell({ type: 'finished', id: chain, times });
  }
}

serve({
  start(concurrency, mode) {
    ran = 0;
    const noop = async (): Promise<void> => {
      ran++;
    };
    worker = new Worker(PLAIN_QUEUE, mode === 'latency' ? chained : noop, {
      connection,
      prefix,
      concurrency,
    });
    worker.on('error', (error) => process.stderr.write(`bullmq worker: ${error.message}\n`));
  },
  count: () => ran,
  async halt() {
    await worker?.close();
    worker = undefined;
  },
  async close() {
    await queue.close();
    await connection.quit();
  },
});

connection.ping().then(
  () => tell({ type: 'ready' }),
  (error: Error) => {
    process.stderr.write(`bullmq worker: ${error.message}\n`);
    process.exit(1);
  },
);
