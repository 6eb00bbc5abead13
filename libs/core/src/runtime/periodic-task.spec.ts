import { PeriodicTask } from './periodic-task';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PeriodicTask', () => {
  it('never runs the task twice at once, reports its failures, and stop waits for the run in progress', async () => {
    let running = 0;
    let overlapped = false;
    let runs = 0;
    let finished = 0;
    const errors: string[] = [];
    const task = new PeriodicTask(
      10,
      async () => {
        runs++;
        running++;
        overlapped ||= running > 1;
        await sleep(35);
        running--;
        finished++;
        if (runs === 1) throw new Error('first run failed');
      },
      (error) => errors.push(error.message),
    );
    task.start();
    await sleep(200);
    await task.stop();

    expect(runs).toBeGreaterThanOrEqual(2);
    expect(overlapped).toBe(false);
    expect(finished).toBe(runs);
    expect(errors).toEqual(['first run failed']);
    const after = runs;
    await sleep(50);
    expect(runs).toBe(after);
  });
});
