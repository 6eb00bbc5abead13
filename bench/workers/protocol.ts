/** What a bench worker process reads from `BENCH_WORKER_CONFIG`. */
export interface WorkerConfig {
  /** `redis://…`, or `redis-cluster://…` */
  redisUrl: string;
  /** The key prefix of the one shard, or of each shard. */
  prefix: string | readonly string[];
}

/**
 * `throughput`: no-op jobs or steps, nothing recorded. `latency`: the start and end of every step (or chained job)
 * are noted, and each saga (or chain) is reported when its last step has run.
 */
export type WorkerMode = 'throughput' | 'latency';

/**
 * Parent → worker. `go` starts taking jobs with a new BullMQ worker and zeroes the count; `count` asks how many
 * jobs (or steps) ran since, and the process' CPU time so far; `halt` closes the BullMQ worker (it finishes the jobs it holds) and answers `halted`,
 * so that one process serves several runs; `stop` closes everything and exits.
 */
export type ParentMessage =
  { type: 'go'; concurrency: number; mode: WorkerMode } | { type: 'count' } | { type: 'halt' } | { type: 'stop' };

/**
 * Worker → parent. `count`: `cpuUs` is the process' CPU time (user + system, µs) since it started, so that the
 * parent can tell the CPU a measured window cost from two answers. `finished` (latency mode): the last step of saga (or chain) `id` has run; `times` holds the
 * start and end of each step, in ms of the worker's monotonic clock. `exited` is made up by the parent.
 */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'halted' }
  | { type: 'count'; ran: number; cpuUs: number }
  | { type: 'finished'; id: string; times: number[] }
  | { type: 'exited' };

export function readConfig(): WorkerConfig {
  const raw = process.env.BENCH_WORKER_CONFIG;
  if (!raw) throw new Error('BENCH_WORKER_CONFIG is not set: start this file through the bench.');
  return JSON.parse(raw) as WorkerConfig;
}

/** Sends to the parent, if there is one. */
export function tell(message: WorkerMessage): void {
  process.send?.(message);
}

/**
 * Serves the parent's messages: `go` calls `start`, `halt` and `stop` call `halt` (the last one then `close` and
 * exits). A parent that goes away counts as `stop`.
 */
export function serve(handlers: {
  start: (concurrency: number, mode: WorkerMode) => void;
  /** Jobs (or steps) run since the last `start`. */
  count: () => number;
  halt: () => Promise<void>;
  close: () => Promise<void>;
}): void {
  let stopping = false;
  const fail = (error: Error): void => {
    process.stderr.write(`bench worker ${process.pid}: ${error.stack ?? error.message}\n`);
  };
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    handlers
      .halt()
      .then(handlers.close)
      .catch(fail)
      .finally(() => process.exit(0));
  };
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'go') handlers.start(message.concurrency, message.mode);
    if (message.type === 'count') {
      const { user, system } = process.cpuUsage();
      tell({ type: 'count', ran: handlers.count(), cpuUs: user + system });
    }
    if (message.type === 'halt') handlers.halt().then(() => tell({ type: 'halted' }), fail);
    if (message.type === 'stop') stop();
  });
  process.on('disconnect', stop);
}
