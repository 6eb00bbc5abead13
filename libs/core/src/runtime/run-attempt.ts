import { StepTimedOutError } from '../errors/step-timed-out.error';

/**
 * The abort of one attempt, and the signal handed to its work. The signal's AbortController is made when the work
 * first reads it: in Node 20 one costs more than the rest of a no-op step, and most steps never read it.
 */
export class AttemptAbort {
  private controller?: AbortController;
  private aborted = false;
  private reason: unknown;

  constructor(private readonly onAbort: (reason: unknown) => void) {}

  /** Aborted when the attempt times out; already aborted when read after that. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
    this.onAbort(reason);
  }
}

/**
 * Runs an attempt with a deadline. On timeout the attempt's signal is aborted and the attempt rejects at once:
 * JavaScript cannot stop a promise, so work that ignores the signal may go on in the background, and its result is
 * discarded.
 */
export function runAttempt<T>(
  work: (attempt: AttemptAbort) => Promise<T>,
  step: string,
  timeoutMs: number,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    // Only the deadline aborts an attempt: rejecting is all the abort has to do here.
    const attempt = new AttemptAbort(reject);
    const timer = setTimeout(() => attempt.abort(new StepTimedOutError(step, timeoutMs)), timeoutMs);
    const settle = (): void => clearTimeout(timer);
    let running: Promise<T>;
    try {
      running = work(attempt);
    } catch (error) {
      settle();
      return reject(error);
    }
    running.then(
      (value) => {
        settle();
        resolve(value);
      },
      (error: unknown) => {
        settle();
        reject(error);
      },
    );
  });
}
