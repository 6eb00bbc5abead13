import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { ParentMessage, WorkerMessage, WorkerMode } from '../workers/protocol';

/** Every process the bench started, so that an interrupted run leaves none behind. */
const children = new Set<ChildProcess>();

export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Kills the processes the bench started that are still running (on exit, or on Ctrl-C). */
export function killChildren(): void {
  for (const child of children) child.kill('SIGKILL');
}

process.once('exit', killChildren);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killChildren();
    process.exit(130);
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resident set size of a process in bytes, from /proc (Linux). */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error(`No VmRSS for process ${pid}`);
  return Number(match[1]) * 1_024;
}

/** A worker process of the bench (`workers/*.ts`), driven over IPC. */
export class WorkerProcess {
  private readonly listeners = new Set<(message: WorkerMessage) => void>();
  /** `finished` reports nobody waited for yet, by saga (or chain) id. */
  private readonly reports = new Map<string, number[]>();
  private exited?: Error;

  private constructor(readonly child: ChildProcess) {
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'finished') this.reports.set(message.id, message.times);
      for (const listener of [...this.listeners]) listener(message);
    });
    child.once('exit', (code, signal) => {
      this.exited = new Error(`worker process ${child.pid} exited (code ${code}, signal ${signal})`);
      for (const listener of [...this.listeners]) listener({ type: 'exited' });
    });
  }

  /**
   * Forks `script` with its configuration and waits until it is connected and ready for `go`.
   * @param execArgv - Node options of the child, e.g. `--cpu-prof`
   */
  static async start(script: string, config: object, execArgv: string[] = []): Promise<WorkerProcess> {
    const child = track(
      fork(script, [], {
        execArgv,
        env: { ...process.env, BENCH_WORKER_CONFIG: JSON.stringify(config) },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    const worker = new WorkerProcess(child);
    await worker.next((message) => message.type === 'ready', 60_000);
    return worker;
  }

  send(message: ParentMessage): void {
    this.child.send(message);
  }

  /** Resolves with the first message that matches. */
  next<M extends WorkerMessage>(matches: (message: WorkerMessage) => message is M, timeoutMs?: number): Promise<M>;
  next(matches: (message: WorkerMessage) => boolean, timeoutMs?: number): Promise<WorkerMessage>;
  next(matches: (message: WorkerMessage) => boolean, timeoutMs = 60_000): Promise<WorkerMessage> {
    return new Promise((resolve, reject) => {
      if (this.exited) return reject(this.exited);
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`worker process ${this.child.pid}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (message: WorkerMessage): void => {
        if (message.type === 'exited') {
          clearTimeout(timer);
          this.listeners.delete(listener);
          reject(this.exited);
        } else if (matches(message)) {
          clearTimeout(timer);
          this.listeners.delete(listener);
          resolve(message);
        }
      };
      this.listeners.add(listener);
    });
  }

  /** Starts taking jobs. */
  go(concurrency: number, mode: WorkerMode = 'throughput'): void {
    this.reports.clear();
    this.send({ type: 'go', concurrency, mode });
  }

  /** Jobs (or steps) this process ran since `go`, and its CPU time (user + system, µs) since it started. */
  async count(): Promise<{ ran: number; cpuUs: number }> {
    const reply = this.next((message) => message.type === 'count', 10_000);
    this.send({ type: 'count' });
    const { ran, cpuUs } = (await reply) as Extract<WorkerMessage, { type: 'count' }>;
    return { ran, cpuUs };
  }

  /** Stops taking jobs: waits until the jobs in hand are finished and the BullMQ worker is closed. */
  async halt(): Promise<void> {
    const halted = this.next((message) => message.type === 'halted', 60_000);
    this.send({ type: 'halt' });
    await halted;
  }

  /** The step times of saga (or chain) `id`, once its last step has run (latency mode). */
  async finished(id: string, timeoutMs = 30_000): Promise<number[]> {
    if (!this.reports.has(id)) {
      await this.next((message) => message.type === 'finished' && message.id === id, timeoutMs);
    }
    const times = this.reports.get(id) as number[];
    this.reports.delete(id);
    return times;
  }

  /** Asks the worker to close (it finishes the jobs it holds) and waits for it to exit. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.send({ type: 'stop' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
