import { StepTimedOutError } from '../errors/step-timed-out.error';

/**
 * Runs one attempt with a deadline. On timeout, or when `outer` aborts (the job was cancelled), the signal
 * handed to the work is aborted and the attempt rejects at once: JavaScript cannot stop a promise, so work
 * that ignores the signal may go on in the background, and its result is discarded.
 */
export async function runAttempt<T>(
  work: (signal: AbortSignal) => Promise<T>,
  options: { step: string; timeoutMs: number; outer?: AbortSignal },
): Promise<T> {
  const controller = new AbortController();
  const abortFromOuter = () => controller.abort(options.outer?.reason);
  options.outer?.addEventListener('abort', abortFromOuter, { once: true });
  const timer = setTimeout(
    () => controller.abort(new StepTimedOutError(options.step, options.timeoutMs)),
    options.timeoutMs,
  );
  try {
    return await new Promise<T>((resolve, reject) => {
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
      work(controller.signal).then(resolve, reject);
    });
  } finally {
    clearTimeout(timer);
    options.outer?.removeEventListener('abort', abortFromOuter);
  }
}
