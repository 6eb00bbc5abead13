import 'reflect-metadata';
import { redisClient } from '../../tools/redis-client';
import { SagaWorkers, StepExecutor, constructingResolver, createSagaParts, type SagaLogger } from '@sagaflow/core';
import { BENCH_STEPS, benchSaga, countStepRuns, recordSteps, resetStepRuns } from '../saga/bench.saga';
import { readConfig, serve, tell } from './protocol';

/**
 * A sagaflow worker process for the bench: the engine core wired by hand (as the Nest modules do), running the
 * no-op `bench` saga. No sweeper: it only acts on sagas stuck for 30 s.
 */
const config = readConfig();
const logger: SagaLogger = {
  log: () => undefined,
  warn: () => undefined,
  error: (message) => process.stderr.write(`saga worker: ${message}\n`),
};

const redis = redisClient(config.redisUrl);
const { registry, store, queues, dispatcher, inbox, children } = createSagaParts(redis, config.prefix);
registry.register(benchSaga);
const executor = new StepExecutor(registry, store, dispatcher, inbox, children, constructingResolver, logger);
let workers: SagaWorkers | undefined;

/** Latency mode: each step's start and end, by saga, until its last step has run. */
const times = new Map<string, number[]>();
function record(sagaId: string, index: number, startedAt: number, endedAt: number): void {
  const saga = times.get(sagaId) ?? [];
  saga[2 * index] = startedAt;
  saga[2 * index + 1] = endedAt;
  times.set(sagaId, saga);
  if (index === BENCH_STEPS - 1) {
    times.delete(sagaId);
    tell({ type: 'finished', id: sagaId, times: saga });
  }
}

serve({
  start(concurrency, mode) {
    recordSteps(mode === 'latency' ? record : undefined);
    resetStepRuns();
    workers = new SagaWorkers(executor, logger, { connection: redis, prefix: config.prefix, concurrency });
    workers.start([benchSaga.name]);
  },
  count: countStepRuns,
  async halt() {
    await workers?.close();
    workers = undefined;
  },
  async close() {
    await queues.close();
    await redis.quit();
  },
});

redis.ping().then(
  () => tell({ type: 'ready' }),
  (error: Error) => {
    process.stderr.write(`saga worker: ${error.message}\n`);
    process.exit(1);
  },
);
