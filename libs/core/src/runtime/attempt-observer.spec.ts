import { observeAttempt, type AttemptObserver, type ObservedAttempt } from './attempt-observer';

const attempt: ObservedAttempt = {
  sagaId: 's-1',
  saga: 'order',
  version: 1,
  step: 'reserve',
  phase: 'run',
  attempt: 1,
};

describe('observeAttempt', () => {
  /** An observer that writes down when it enters and leaves, and what it saw settle. */
  const recording = (name: string, log: string[]): AttemptObserver => ({
    async observe<T>(seen: ObservedAttempt, run: () => Promise<T>): Promise<T> {
      log.push(`${name} enters ${seen.step}`);
      try {
        return await run();
      } finally {
        log.push(`${name} leaves`);
      }
    },
  });

  it('runs the attempt once inside every observer, the first outermost, and answers what it answers', async () => {
    const log: string[] = [];
    const result = await observeAttempt([recording('spans', log), recording('metrics', log)], attempt, async () => {
      log.push('attempt');
      return 42;
    });

    expect(result).toBe(42);
    expect(log).toEqual([
      'spans enters reserve',
      'metrics enters reserve',
      'attempt',
      'metrics leaves',
      'spans leaves',
    ]);
  });

  it('rejects as the attempt does, through every observer', async () => {
    const log: string[] = [];
    const failure = new Error('declined');

    await expect(observeAttempt([recording('spans', log)], attempt, () => Promise.reject(failure))).rejects.toBe(
      failure,
    );
    expect(log).toEqual(['spans enters reserve', 'spans leaves']);
  });
});
