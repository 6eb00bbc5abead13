import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'nest-app');
const PACKAGES = join(ROOT, 'dist', 'packages');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface Run {
  status: number | null;
  output: string;
}

function run(command: string, args: string[], cwd: string, timeoutMs = 240_000): Run {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: timeoutMs, env: process.env });
  return { status: result.status, output: `${result.stdout}${result.stderr}${result.error?.message ?? ''}` };
}

function mustRun(command: string, args: string[], cwd: string): Run {
  const result = run(command, args, cwd);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.output}`);
  return result;
}

/**
 * examples/nest-app as a user has it: the publishable packages packed with `npm pack`, the app copied out of the
 * repository (so that nothing resolves through the workspace's node_modules) and installed from the tarballs
 * alone. A missing export, type or Lua file, or a dependency a package forgets to declare, fails here.
 */
describe('examples/nest-app, installed from the packed tarballs', () => {
  const app = mkdtempSync(join(tmpdir(), 'sagaflow-nest-app-'));

  beforeAll(() => {
    mustRun(NPM, ['run', 'pack:packages'], ROOT);
    cpSync(EXAMPLE, app, { recursive: true, filter: (path) => !/[\\/](node_modules|dist)([\\/]|$)/.test(path) });
    const manifest = join(app, 'package.json');
    writeFileSync(
      manifest,
      readFileSync(manifest, 'utf8').replaceAll('file:../../dist/packages/', `file:${PACKAGES}/`),
    );
    mustRun(NPM, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock'], app);
  }, 420_000);
  afterAll(() => rmSync(app, { recursive: true, force: true }));

  it('builds with strict types against the packages, completes a transfer and compensates a failed one', () => {
    const tests = run(NPM, ['test'], app);
    expect(tests.output).toMatch(/^# pass 3$/m);
    expect(tests.output).toMatch(/^# fail 0$/m);
    expect(tests.status).toBe(0);
  }, 120_000);

  it('has neither amqplib nor the NATS client, since it installs no broker adapter', () => {
    const tree = run(NPM, ['ls', 'amqplib', '@nats-io/transport-node', '@nats-io/jetstream', '--all', '--json'], app);
    expect(JSON.parse(tree.output)).not.toHaveProperty('dependencies');
  });

  it('runs the sagaflow command of @sagaflow/cli with npx', () => {
    const help = mustRun('npx', ['--no-install', 'sagaflow', '--help'], app);
    expect(help.output).toMatch(/^Usage: sagaflow <command>/);
  });
});
