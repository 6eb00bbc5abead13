import { spawn, type ChildProcess } from 'node:child_process';
import type { CrashTestWorker } from './crash-test-options.interface';

/** How a worker process ended; `error` when it could not be started at all. */
export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: string;
}

/** The output kept per process, for messages: the end of it, where a crash or a failure shows. */
const KEPT_OUTPUT = 16_000;
/** How long a graceful stop may take before the process is killed: a run's state is thrown away anyway. */
const STOP_GRACE_MS = 2_000;

/** Workers still running, killed if this process exits first (a test runner that gives up must not leave them). */
const live = new Set<ChildProcess>();
let killOnExit = false;

/** One worker process of a run, started from the user's command with the run's environment. */
export class WorkerProcess {
  private output = '';
  private ended?: WorkerExit;
  private readonly exited: Promise<WorkerExit>;

  private constructor(private readonly child: ChildProcess) {
    const collect = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-KEPT_OUTPUT);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    live.add(child);
    if (!killOnExit) {
      killOnExit = true;
      process.once('exit', () => live.forEach((running) => running.kill('SIGKILL')));
    }
    child.once('exit', () => live.delete(child));
    child.once('error', () => live.delete(child));
    this.exited = new Promise((resolve) => {
      child.once('error', (error) => resolve((this.ended ??= { code: null, signal: null, error: error.message })));
      child.once('exit', (code, signal) => resolve((this.ended ??= { code, signal })));
    });
  }

  static start(worker: CrashTestWorker, env: Record<string, string>): WorkerProcess {
    const inherited = { ...process.env };
    // A crash point is only ever the kit's to give, and only to the first process of a run.
    delete inherited.SAGAFLOW_CRASH_AT;
    const child = spawn(worker.command, worker.args ?? [], {
      cwd: worker.cwd,
      env: { ...inherited, NO_COLOR: '1', ...worker.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new WorkerProcess(child);
  }

  /** Set once the process has ended. */
  get exit(): WorkerExit | undefined {
    return this.ended;
  }

  /** The end of what the process printed. */
  get log(): string {
    return this.output;
  }

  /** Resolves with how the process ended, or `undefined` if it is still running after `timeoutMs`. */
  async waitForExit(timeoutMs: number): Promise<WorkerExit | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
    const exit = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    return exit;
  }

  /** Asks the process to stop (SIGTERM), and kills it if it has not within a grace period. */
  async stop(): Promise<WorkerExit> {
    if (this.ended) return this.ended;
    this.child.kill('SIGTERM');
    const exit = await this.waitForExit(STOP_GRACE_MS);
    if (exit) return exit;
    this.child.kill('SIGKILL');
    return this.exited;
  }
}

/** How an exit reads in a message: `exit code 1`, `signal SIGTERM`, or the spawn error. */
export function describeExit(exit: WorkerExit): string {
  if (exit.error) return `could not start: ${exit.error}`;
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}
