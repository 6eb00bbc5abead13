import {
  SagaDefinitionNotFoundError,
  SagaInputInvalidError,
  SagaSchedules,
  type ScheduleInvalidError,
  ScheduleNotFoundError,
  ScheduleWorker,
  defineSaga,
  type ScheduleSettings,
} from '@sagaflow/core';
import { waitFor } from '../support/wait-for';
import { Engine, Input, recordingStep, silent } from './engine.fixture';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const report = defineSaga('report', { input: Input }).step('compile', recordingStep([], 'compile')).build();
const everySecond: ScheduleSettings = { saga: 'report', input: { orderId: 'nightly' }, every: '1s' };

describe('schedules', () => {
  let engine: Engine;
  let schedules: SagaSchedules;
  let worker: ScheduleWorker;

  beforeEach(() => {
    engine = new Engine(report);
    schedules = new SagaSchedules(engine.registry, engine.queues, engine.redis);
    worker = new ScheduleWorker(schedules, engine.client, silent, {
      connection: engine.redis,
      prefix: engine.prefixes[0],
    });
  });
  afterEach(async () => {
    await worker.close();
    await engine.close();
  });

  const started = async (scheduleId: string) =>
    (await engine.client.list({ tags: { scheduleId }, limit: 100 })).items.map((saga) => saga.id);

  it('starts the saga every interval, tagged with the schedule, and lists the schedule with its next run', async () => {
    const { created, schedule } = await schedules.upsert('nightly-report', everySecond);
    expect(created).toBe(true);
    expect(schedule).toMatchObject({ id: 'nightly-report', saga: 'report', every: '1s', paused: false });
    expect(Date.parse(schedule.nextRunAt as string)).toBeGreaterThan(Date.now() - 1_000);
    worker.start();

    const ids = await waitFor(
      () => started('nightly-report'),
      (found) => found.length >= 2,
      { timeoutMs: 10_000 },
    );
    const saga = await engine.waitUntilFinished(ids[0]);
    expect(saga).toMatchObject({
      status: 'completed',
      input: { orderId: 'nightly' },
      tags: { scheduleId: 'nightly-report' },
    });
    expect((await schedules.list()).map((s) => s.id)).toEqual(['nightly-report']);
  });

  it('starts nothing while paused, again once resumed, and nothing once removed', async () => {
    await schedules.upsert('hourly', everySecond);
    worker.start();
    await waitFor(
      () => started('hourly'),
      (found) => found.length >= 1,
      { timeoutMs: 10_000 },
    );

    expect(await schedules.pause('hourly')).toMatchObject({ paused: true });
    expect((await schedules.get('hourly')).nextRunAt).toBeUndefined();
    // A start that was already due when it paused may still come: count from after it.
    await sleep(1_200);
    const whilePaused = (await started('hourly')).length;
    await sleep(2_500);
    expect((await started('hourly')).length).toBe(whilePaused);

    expect(await schedules.resume('hourly')).toMatchObject({ paused: false });
    await waitFor(
      () => started('hourly'),
      (found) => found.length > whilePaused,
      { timeoutMs: 10_000 },
    );

    await schedules.remove('hourly');
    await expect(schedules.get('hourly')).rejects.toBeInstanceOf(ScheduleNotFoundError);
    await sleep(1_200);
    const afterRemoval = (await started('hourly')).length;
    await sleep(2_500);
    expect((await started('hourly')).length).toBe(afterRemoval);
  });

  it('starts the runs missed while no worker ran once, when a worker returns, not once each', async () => {
    await schedules.upsert('missed', everySecond);
    // No worker for five intervals: five due times pass.
    await sleep(5_500);
    expect(await started('missed')).toEqual([]);

    worker.start();
    await waitFor(
      () => started('missed'),
      (found) => found.length >= 1,
      { timeoutMs: 5_000 },
    );
    await sleep(600);
    const createdAt = await Promise.all(
      (await started('missed')).map(async (id) => Date.parse((await engine.client.get(id)).createdAt)),
    );
    const firstAt = Math.min(...createdAt);
    // The catch-up, and at most the next regular start when it falls due right after: never one per missed time.
    expect(createdAt.filter((at) => at - firstAt < 600).length).toBeLessThanOrEqual(2);
  });

  it('refuses bad settings with typed errors naming the field, and keeps nothing', async () => {
    const refused = async (id: string, settings: ScheduleSettings) =>
      schedules.upsert(id, settings).then(
        () => undefined,
        (error: unknown) => error,
      );
    const fields = (error: unknown) => (error as ScheduleInvalidError).fields.map((field) => field.field);

    expect(fields(await refused('bad id!', everySecond))).toEqual(['id']);
    expect(fields(await refused('both', { ...everySecond, cron: '0 3 * * *' }))).toEqual(['every']);
    expect(fields(await refused('neither', { saga: 'report', input: { orderId: 'x' } }))).toEqual(['every']);
    expect(fields(await refused('fast', { ...everySecond, every: '100ms' }))).toEqual(['every']);
    expect(fields(await refused('cron', { saga: 'report', input: { orderId: 'x' }, cron: '61 * * * *' }))).toEqual([
      'cron',
    ]);
    expect(
      fields(await refused('zone', { saga: 'report', input: { orderId: 'x' }, cron: '0 3 * * *', tz: 'Mars/Base' })),
    ).toEqual(['tz']);
    expect(await refused('unknown', { ...everySecond, saga: 'nope' })).toBeInstanceOf(SagaDefinitionNotFoundError);
    expect(await refused('input', { ...everySecond, input: { orderId: 42 } })).toBeInstanceOf(SagaInputInvalidError);
    expect(await schedules.list()).toEqual([]);
  });
});
