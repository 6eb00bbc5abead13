import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const CONCURRENCIES = [1, 10, 50, 100];
const PERSISTENCES = ['none', 'aof-everysec'];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

function number(value: unknown): number {
  expect(typeof value).toBe('number');
  expect(Number.isFinite(value)).toBe(true);
  return value as number;
}

function numbers(object: Record<string, unknown>, keys: string[]): void {
  for (const key of keys) {
    try {
      number(object[key]);
    } catch (error) {
      throw new Error(`${key} is not a number: ${JSON.stringify(object[key])}`, { cause: error });
    }
  }
}

/**
 * `npm run bench` and `npm run bench:soak` in their quick forms, so that the scripts cannot rot: every figure
 * must be there and be a number. No goal is asserted: the sizes are far too small for the figures to mean anything.
 * The bench is compiled to a folder of its own, so that dist/ is not rewritten while other suites load it; the
 * API it loads is the one `npm test` built.
 */
describe('the benchmark scripts', () => {
  // Inside the repository (bench/tmp is git-ignored), so that the compiled files find node_modules.
  mkdirSync(join(ROOT, 'bench', 'tmp'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, 'bench', 'tmp', 'test-'));
  const out = join(dir, 'out');

  beforeAll(async () => {
    const compiled = await run([
      join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      join(ROOT, 'bench', 'tsconfig.json'),
      '--outDir',
      dir,
    ]);
    expect(compiled.stdout + compiled.stderr).toBe('');
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('npm run bench prints the tables and the ratios, and writes every figure, the chart and results.json', async () => {
    const bench = await run([join(dir, 'bench', 'bench.js')], { BENCH_QUICK: '1', BENCH_OUT: out, BENCH_ROOT: ROOT });
    if (bench.code !== 0) throw new Error(`bench exited ${bench.code}:\n${bench.stderr}\n${bench.stdout}`);

    const lines = bench.stdout.trimEnd().split('\n');
    const ratioLine = (c: number): RegExp =>
      new RegExp(
        `^ratio sagaflow/bullmq steps per second at concurrency ${c}: \\d+\\.\\d\\d \\(min \\d+\\.\\d\\d, max \\d+\\.\\d\\d, 2 pairs\\)$`,
      );
    expect(lines[lines.length - 2]).toMatch(ratioLine(1));
    expect(lines[lines.length - 1]).toMatch(ratioLine(50));
    expect(bench.stdout).toContain('BullMQ jobs/s');
    expect(bench.stdout).toContain('CPU µs per job or step, AOF everysec');
    expect(bench.stdout).toContain('sagaflow, 3 worker processes at concurrency 50');
    expect(readFileSync(join(out, 'throughput.svg'), 'utf8')).toMatch(/^<svg [^]*<polyline [^]*<\/svg>\n$/);

    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    for (const key of ['cpu', 'os', 'node', 'redis', 'bullmq'])
      expect(results.machine[key]).toEqual(expect.any(String));
    numbers(results.machine, ['cores', 'memoryGiB', 'loadAverageAtStart']);
    for (const persistence of PERSISTENCES) {
      const { comparisons, moreProcesses } = results.throughput[persistence];
      expect(comparisons.map((c: { concurrency: number }) => c.concurrency)).toEqual(CONCURRENCIES);
      for (const comparison of comparisons) {
        // Two alternating pairs at the goals' concurrencies (quick), one elsewhere.
        expect(comparison.pairs).toBe([1, 50].includes(comparison.concurrency) ? 2 : 1);
        for (const side of [comparison.bullmq, comparison.sagaflow]) {
          for (const figure of [side.perSecond, side.workerCpuUsPerItem, side.redisCpuUsPerItem]) {
            numbers(figure, ['median', 'min', 'max']);
            expect(figure.values).toHaveLength(comparison.pairs);
            expect(figure.min).toBeLessThanOrEqual(figure.median);
            expect(figure.median).toBeLessThanOrEqual(figure.max);
            expect(figure.min).toBeGreaterThan(0);
          }
        }
        numbers(comparison.ratio, ['ofMedians', 'min', 'max']);
        expect(comparison.ratio.pairs).toHaveLength(comparison.pairs);
      }
      expect(moreProcesses.map((m: { processes: number }) => m.processes)).toEqual([2, 3]);
      for (const more of moreProcesses) numbers(more, ['stepsPerSecond', 'workerCpuUsPerStep', 'redisCpuUsPerStep']);
      for (const latency of ['sagaflowStepTransition', 'bullmqChainedJob']) {
        numbers(results.latency[persistence][latency], ['samples', 'p50Ms', 'p99Ms', 'meanMs', 'maxMs']);
      }
      numbers(results.api[persistence], ['requestsPerSecond', 'p50Ms', 'p99Ms', 'requests', 'non2xx', 'sagasCreated']);
    }
    expect(results.memory.runs).toHaveLength(2);
    for (const memory of results.memory.runs) {
      numbers(memory, [
        'sagas',
        'bytesPerSagaAll',
        'bytesPerSagaWithoutCompletedJobs',
        'bytesPerSagaStateOnly',
        'completedJobsKept',
        'stateHashBytes',
        'historyListBytes',
      ]);
    }
    number(results.memory.stateOnlyGrowthRatio);
    for (const counts of [results.commands.sagaflowPerStep, results.commands.bullmqPerJob]) {
      numbers(counts, ['sentPerItem', 'roundTripsPerItem', 'insideScriptsPerItem', 'producerSentPerItem']);
    }
    for (const aof of [results.aof.sagaflowPerStep, results.aof.bullmqPerJob]) {
      numbers(aof, ['bytesPerItem', 'commandsPerItem', 'producerBytesPerItem']);
      // Every step or job writes: a drain that appended nothing read the wrong file.
      expect(aof.bytesPerItem).toBeGreaterThan(0);
      for (const counts of Object.values(aof.byName)) numbers(counts as Record<string, unknown>, ['commands', 'bytes']);
    }
    expect(bench.stdout).toContain('AOF appended by the workers');
    numbers(results.scripts, [
      'sagas',
      'beginUs',
      'completeAndBeginUs',
      'completeLastUs',
      'perStepUs',
      'bullmqPerJobUs',
    ]);
    expect(bench.stdout).toContain('Redis time inside Lua scripts');
    numbers(results.cluster.stepsPerSecondByShards, ['1', '3', '6']);
  }, 300_000);

  it('npm run bench:soak samples the processes and Redis and compares the first window with the last', async () => {
    const soak = await run([join(dir, 'bench', 'soak.js')], {
      SOAK_SECONDS: '8',
      SOAK_SAMPLE_SECONDS: '2',
      SOAK_RATE: '50',
      BENCH_OUT: out,
      BENCH_ROOT: ROOT,
    });
    if (soak.code !== 0) throw new Error(`soak exited ${soak.code}:\n${soak.stderr}\n${soak.stdout}`);

    expect(existsSync(join(out, 'soak-results.json'))).toBe(true);
    const results = JSON.parse(readFileSync(join(out, 'soak-results.json'), 'utf8'));
    expect(results.samples).toHaveLength(5);
    for (const sample of results.samples) {
      numbers(sample, ['seconds', 'apiRssMiB', 'workerRssMiB', 'redisUsedMiB', 'accepted', 'kept', 'unfinished']);
    }
    for (const verdict of [results.api, results.worker, results.redisBytesPerKeptSaga]) {
      numbers(verdict, ['firstWindow', 'lastWindow', 'growth']);
      expect(typeof verdict.flat).toBe('boolean');
    }
    expect(results.requests.accepted).toBeGreaterThan(0);
  }, 120_000);
});
