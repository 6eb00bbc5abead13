import type { Redis } from 'ioredis';
import { createSagaParts, formatCrashPoint, type CrashPoint, type SagaParts, type SagaRecord } from '@sagaflow/core';
import type { CrashScenario } from './crash-test-options.interface';
import { FINAL_SAGA_STATUSES, type FinalSagaStatus } from './final-saga-status';
import type {
  CrashRunResult,
  CrashScenarioReport,
  CrashTestReport,
  CrashViolationKind,
} from './crash-test-report.interface';
import { reachedCrashPoints, selectCrashPoints } from './reached-crash-points';
import { runConcurrently } from './run-concurrently';
import type { ResolvedCrashTestOptions } from './validate-crash-test-options';
import { WorkerProcess, describeExit } from './worker-process';

const POLL_MS = 50;
/**
 * A worker told to crash at a step's `recorded` moment dies right after the transition, which may make the saga
 * final a moment before: the run gives it this long to die before it says the point was not passed.
 */
const EXIT_GRACE_MS = 1_500;
/** Lines of a worker's output quoted in a violation. */
const QUOTED_LINES = 12;
/** BullMQ states in which a job of the saga is still to be (re)processed. */
const UNSETTLED_STATES = ['active', 'wait', 'prioritized', 'waiting-children'] as const;

/** What one run of the saga ended with, its record kept for the points of an undisturbed run. */
interface RunOutcome {
  result: CrashRunResult;
  record?: SagaRecord;
}

/** Why following a saga stopped. */
type FollowEnd = 'final' | 'settled' | 'worker-exit' | 'deadline';

/** The state of one run, shared by its phases. */
interface Run<I> {
  scenario: CrashScenario<I>;
  point?: CrashPoint;
  prefix: string;
  parts: SagaParts;
  deadline: number;
  result: CrashRunResult;
  input?: I;
  record?: SagaRecord;
  /** Wait steps already handed to `whenWaiting`. */
  waitsPlayed: Set<string>;
  workers: WorkerProcess[];
}

/**
 * Carries out a crash test: the undisturbed run of each scenario, then one run per point it reached, at most
 * `concurrency` at a time, each on a prefix of its own.
 */
export class CrashTestRunner<I extends object> {
  private runCount = 0;

  constructor(
    private readonly options: ResolvedCrashTestOptions<I>,
    private readonly redis: Redis,
  ) {}

  async run(): Promise<CrashTestReport> {
    const startedAt = Date.now();
    const { saga, scenarios, concurrency, points } = this.options;
    const undisturbed = await runConcurrently(scenarios, concurrency, (scenario) => this.runOnce(scenario));
    const plans = scenarios.map((scenario, index) => {
      const { result, record } = undisturbed[index];
      // An undisturbed run that goes wrong says nothing reliable about the points: fix it first.
      const reached = result.violations.length === 0 && record ? reachedCrashPoints(saga, record.history) : [];
      return { scenario, undisturbed: result, reached, ...selectCrashPoints(reached, points) };
    });
    const crashes = plans.flatMap((plan) => plan.run.map((point) => ({ scenario: plan.scenario, point })));
    const outcomes = await runConcurrently(crashes, concurrency, ({ scenario, point }) =>
      this.runOnce(scenario, point),
    );

    const reports: CrashScenarioReport[] = plans.map((plan) => ({
      scenario: plan.scenario.name,
      expect: plan.scenario.expect,
      undisturbed: plan.undisturbed,
      reached: plan.run,
      unreached: plan.unreached,
      runs: outcomes.filter(({ result }) => result.scenario === plan.scenario.name).map(({ result }) => result),
    }));
    const all = reports.flatMap((report) => [report.undisturbed, ...report.runs]);
    return {
      saga: saga.name,
      scenarios: reports,
      runs: all.length,
      violated: all.filter((result) => result.violations.length > 0).length,
      durationMs: Date.now() - startedAt,
    };
  }

  /** One run: undisturbed without a point; otherwise a worker that crashes there, then a healthy one. */
  private async runOnce(scenario: CrashScenario<I>, point?: CrashPoint): Promise<RunOutcome> {
    const startedAt = Date.now();
    const prefix = `${this.options.prefix}-${++this.runCount}`;
    const parts = createSagaParts(this.redis, prefix);
    parts.registry.register(this.options.saga);
    const run: Run<I> = {
      scenario,
      point,
      prefix,
      parts,
      deadline: startedAt + this.options.runTimeoutMs,
      result: {
        scenario: scenario.name,
        ...(point && { point }),
        label: point ? formatCrashPoint(point) : 'undisturbed',
        prefix,
        crashed: false,
        violations: [],
        durationMs: 0,
      },
      waitsPlayed: new Set(),
      workers: [],
    };
    // Never throws: a run that rejected would end the pool while other runs' workers still live.
    try {
      await this.carryOut(run);
    } catch (error) {
      violate(run, 'run', `the run failed: ${messageOf(error)}`);
    }
    try {
      await this.cleanUp(run);
    } catch (error) {
      violate(run, 'run', `cleaning up the run failed: ${messageOf(error)}`);
    }
    run.result.durationMs = Date.now() - startedAt;
    try {
      this.options.onRun?.(run.result);
    } catch (error) {
      violate(run, 'run', `onRun threw: ${messageOf(error)}`);
    }
    return { result: run.result, record: run.record };
  }

  private async carryOut(run: Run<I>): Promise<void> {
    const { saga } = this.options;
    run.input = await run.scenario.input({ redis: this.redis, prefix: run.prefix });
    const first = this.startWorker(run, run.point);
    // Started before the worker is up: the saga's first job waits in its queue, and the boot is not waited for.
    const { id } = await run.parts.client.start(saga.name, run.input);
    run.result.sagaId = id;

    let healthy = first;
    if (run.point) {
      const label = formatCrashPoint(run.point);
      const end = await this.follow(run, first, 'final');
      if (end === 'deadline' && !first.exit) {
        violate(run, 'timeout', `the worker had not crashed at ${label} and ${this.describeTimeout(run)}`, first);
        return;
      }
      if (end === 'final' && !first.exit) await first.waitForExit(EXIT_GRACE_MS);
      if (first.exit?.signal === 'SIGKILL') {
        run.result.crashed = true;
        healthy = this.startWorker(run);
      } else if (first.exit) {
        violate(run, 'worker', `the worker ended (${describeExit(first.exit)}) before passing ${label}.`, first);
        return;
      } else {
        violate(
          run,
          'no-crash',
          `the worker did not crash: the saga ended ${run.record?.status} without passing ${label}.`,
        );
      }
    }

    const end = await this.follow(run, healthy, 'settled');
    if (end === 'worker-exit' && healthy.exit) {
      violate(run, 'worker', `a healthy worker ended on its own (${describeExit(healthy.exit)}).`, healthy);
      return;
    }
    if (end === 'deadline') {
      violate(run, 'timeout', this.describeTimeout(run), healthy);
      return;
    }
    const record = run.record as SagaRecord;
    if (record.status !== run.scenario.expect) {
      const cause = record.error ? ` (${record.error.step}: ${record.error.name}: ${record.error.message})` : '';
      violate(run, 'status', `the saga ended ${record.status}${cause}; undisturbed it ends ${run.scenario.expect}.`);
    }
    try {
      await this.options.invariants({
        redis: this.redis,
        prefix: run.prefix,
        sagaId: id,
        input: run.input,
        record,
        scenario: run.scenario,
        ...(run.point && { point: run.point }),
      });
    } catch (error) {
      violate(run, 'invariant', messageOf(error));
    }
  }

  /**
   * Reads the saga until it is final (`until: 'final'`), or final with none of its jobs left to process
   * (`'settled'`: a crashed worker's job has been redelivered and done with), playing `whenWaiting` on the way;
   * stops early when the worker exits or the run's time is up.
   */
  private async follow(run: Run<I>, worker: WorkerProcess, until: 'final' | 'settled'): Promise<FollowEnd> {
    const sagaId = run.result.sagaId as string;
    for (;;) {
      const record = await run.parts.client.get(sagaId);
      run.record = record;
      run.result.status = record.status;
      if (isFinal(record.status)) {
        if (until === 'final' || (await this.settled(run))) return until;
      } else if (record.status === 'waiting') {
        await this.playWait(run, record);
      }
      if (worker.exit) return 'worker-exit';
      if (Date.now() > run.deadline) return 'deadline';
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  private async settled(run: Run<I>): Promise<boolean> {
    const counts = await run.parts.queues.get(this.options.saga.name).getJobCounts(...UNSETTLED_STATES);
    return Object.values(counts).every((count) => count === 0);
  }

  private async playWait(run: Run<I>, record: SagaRecord): Promise<void> {
    const step = record.waitingFor?.step;
    if (!run.scenario.whenWaiting || step === undefined || run.waitsPlayed.has(step)) return;
    run.waitsPlayed.add(step);
    try {
      await run.scenario.whenWaiting({
        redis: this.redis,
        prefix: run.prefix,
        sagaId: record.id,
        input: run.input as I,
        record,
        publish: (event) => run.parts.client.publish(event),
      });
    } catch (error) {
      throw new Error(`whenWaiting threw at step "${step}": ${messageOf(error)}`, { cause: error });
    }
  }

  private startWorker(run: Run<I>, crashAt?: CrashPoint): WorkerProcess {
    const { redisUrl, recovery, worker } = this.options;
    const env: Record<string, string> = {
      REDIS_URL: redisUrl,
      SAGAFLOW_PREFIX: run.prefix,
      SAGAFLOW_LOCK_DURATION_MS: String(recovery.lockDurationMs),
      SAGAFLOW_SWEEP_INTERVAL_MS: String(recovery.sweepIntervalMs),
      SAGAFLOW_STUCK_AFTER_MS: String(recovery.stuckAfterMs),
      ...(crashAt && { SAGAFLOW_CRASH_AT: formatCrashPoint(crashAt) }),
    };
    const started = WorkerProcess.start(worker, env);
    run.workers.push(started);
    return started;
  }

  private describeTimeout(run: Run<I>): string {
    const seconds = (this.options.runTimeoutMs / 1_000).toFixed(0);
    const record = run.record;
    if (!record) return `the saga could not be read within ${seconds} s.`;
    const steps = record.steps.map((step) => `${step.name} ${step.status}`).join(', ');
    const hint =
      record.status === 'waiting' && !run.scenario.whenWaiting
        ? ` It waits for ${record.waitingFor?.event ?? 'a timer'}: give the scenario a whenWaiting that publishes it.`
        : '';
    const state = isFinal(record.status) ? `${record.status}, with jobs left to process` : record.status;
    return `the saga was still ${state} after ${seconds} s (${steps}).${hint}`;
  }

  private async cleanUp(run: Run<I>): Promise<void> {
    await Promise.all(run.workers.map((worker) => worker.stop()));
    await run.parts.queues.close();
    if (!this.options.keepKeys) await deleteKeys(this.redis, run.prefix);
  }
}

function isFinal(status: string): status is FinalSagaStatus {
  return (FINAL_SAGA_STATUSES as readonly string[]).includes(status);
}

/** Adds a violation to the run, quoting the end of a worker's output when one is concerned. */
function violate<I>(run: Run<I>, kind: CrashViolationKind, message: string, worker?: WorkerProcess): void {
  const quoted = worker ? quote(worker.log) : '';
  run.result.violations.push({
    kind,
    message: quoted ? `${message}\nThe worker's output ends with:\n${quoted}` : message,
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function quote(log: string): string {
  return log
    .trimEnd()
    .split('\n')
    .slice(-QUOTED_LINES)
    .map((line) => `  | ${line}`)
    .join('\n');
}

async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1_000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
