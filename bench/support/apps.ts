import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../tools/private-redis';
import { sleep, track } from './processes';

/** A built app (`apps/<name>/dist/main.js`) running as a child process. */
export class AppProcess {
  private output = '';

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly port?: number,
  ) {
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString()).slice(-8_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  /**
   * Starts the built API (`name` 'api', on a free port, answering HTTP before this resolves) or worker.
   * @param root - the repository, where `npm run build` left each app's `dist/`
   */
  static async start(root: string, name: 'api' | 'worker', env: Record<string, string>): Promise<AppProcess> {
    const main = join(root, 'apps', name, 'dist', 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first.`);
    const port = name === 'api' ? await freePort() : undefined;
    const child = track(
      spawn(process.execPath, [main], {
        cwd: root,
        env: { ...process.env, ...env, ...(port !== undefined && { PORT: String(port) }) },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    const app = new AppProcess(name, child, port);
    if (port !== undefined) await app.waitForHttp();
    else await app.waitForOutput(/worker started/);
    return app;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid as number;
  }

  private assertRunning(): void {
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      throw new Error(`${this.name} exited (${this.child.exitCode ?? this.child.signalCode}):\n${this.output}`);
    }
  }

  private async waitForHttp(): Promise<void> {
    for (let tries = 0; tries < 300; tries++) {
      this.assertRunning();
      try {
        const response = await fetch(`${this.url}/sagas?limit=1`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error(`${this.name} did not answer within 30 s:\n${this.output}`);
  }

  private async waitForOutput(pattern: RegExp): Promise<void> {
    for (let tries = 0; tries < 300; tries++) {
      this.assertRunning();
      if (pattern.test(this.output)) return;
      await sleep(100);
    }
    throw new Error(`${this.name} did not start within 30 s:\n${this.output}`);
  }

  /** SIGTERM (a graceful shutdown), SIGKILL after 10 s. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
