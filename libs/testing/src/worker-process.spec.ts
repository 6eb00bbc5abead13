import { WorkerProcess, describeExit } from './worker-process';

const node = (script: string) => ({ command: process.execPath, args: ['-e', script] });

describe('WorkerProcess', () => {
  it('keeps what the process prints and how it ended', async () => {
    const worker = WorkerProcess.start(node('console.log("up"); console.error("down"); process.exit(3)'), {});
    const exit = await worker.waitForExit(5_000);
    expect(exit).toEqual({ code: 3, signal: null });
    expect(worker.exit).toBe(exit);
    expect(worker.log).toContain('up');
    expect(worker.log).toContain('down');
    expect(describeExit(exit!)).toBe('exit code 3');
  });

  it('gives the process the run environment over its own, and never an inherited crash point', async () => {
    process.env.SAGAFLOW_CRASH_AT = 'order/reserve/run/ran';
    try {
      const script =
        'console.log(JSON.stringify([process.env.SAGAFLOW_CRASH_AT ?? null, process.env.SAGAFLOW_PREFIX]))';
      const worker = WorkerProcess.start(
        { ...node(script), env: { SAGAFLOW_PREFIX: 'mine' } },
        { SAGAFLOW_PREFIX: 'run-1' },
      );
      await worker.waitForExit(5_000);
      expect(worker.log.trim()).toBe('[null,"run-1"]');
    } finally {
      delete process.env.SAGAFLOW_CRASH_AT;
    }
  });

  it('stops a process with SIGTERM, and kills one that ignores it after a grace period', async () => {
    const polite = WorkerProcess.start(node('setInterval(() => {}, 1000)'), {});
    expect(describeExit(await polite.stop())).toBe('signal SIGTERM');
    const stubborn = WorkerProcess.start(
      node('process.on("SIGTERM", () => {}); console.log("ready"); setInterval(() => {}, 1000)'),
      {},
    );
    while (!stubborn.log.includes('ready')) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(describeExit(await stubborn.stop())).toBe('signal SIGKILL');
  });

  it('reports a command that cannot be started', async () => {
    const missing = WorkerProcess.start({ command: '/nonexistent/worker' }, {});
    const exit = await missing.waitForExit(5_000);
    expect(describeExit(exit!)).toMatch(/^could not start: spawn \/nonexistent\/worker ENOENT/);
  });

  it('answers undefined when the process is still running after the wait', async () => {
    const worker = WorkerProcess.start(node('setInterval(() => {}, 1000)'), {});
    await expect(worker.waitForExit(50)).resolves.toBeUndefined();
    await worker.stop();
  });
});
