import { setTimeout as sleep } from 'node:timers/promises';
import { StepTimedOutError } from '../errors/step-timed-out.error';
import { runAttempt } from './run-attempt';

describe('runAttempt', () => {
  it("resolves with the work's result", async () => {
    await expect(runAttempt(async () => 'done', 'reserve', 1_000)).resolves.toBe('done');
  });

  it('rejects with StepTimedOutError at the deadline, and aborts the signal the work holds', async () => {
    let held: AbortSignal | undefined;
    const attempt = runAttempt(
      (abort) => {
        held = abort.signal;
        return new Promise(() => undefined);
      },
      'reserve',
      20,
    );
    await expect(attempt).rejects.toBeInstanceOf(StepTimedOutError);
    expect(held?.aborted).toBe(true);
    expect(held?.reason).toBeInstanceOf(StepTimedOutError);
  });

  it('hands a work that reads its signal only after the deadline an aborted signal, with the same reason', async () => {
    let late: AbortSignal | undefined;
    const attempt = runAttempt(
      async (abort) => {
        await sleep(60);
        late = abort.signal;
      },
      'reserve',
      20,
    );
    await expect(attempt).rejects.toBeInstanceOf(StepTimedOutError);
    await sleep(80);
    expect(late?.aborted).toBe(true);
    expect(late?.reason).toBeInstanceOf(StepTimedOutError);
  });

  it('rejects with what a work throws before returning its promise', async () => {
    const broken = (): Promise<never> => {
      throw new Error('no instance');
    };
    await expect(runAttempt(broken, 'reserve', 1_000)).rejects.toThrow('no instance');
  });
});
