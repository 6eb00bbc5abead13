import { CronExpressionParser } from 'cron-parser';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { validateSagaInput } from '../definition/input-validator';
import { NAME_PATTERN } from '../definition/patterns';
import { toMilliseconds, type Duration } from '../definition/duration';
import type { SagaRegistry } from '../definition/saga-registry';
import { ScheduleInvalidError } from '../errors/schedule-invalid.error';
import { ScheduleNotFoundError } from '../errors/schedule-not-found.error';
import type { InputFieldError } from '../errors/saga-input-invalid.error';
import { guardRedis } from '../redis/guard-redis';
import type { SagaQueues } from '../queues/saga-queues';

/** What a schedule starts, and when: every `every`, or at the times of a cron `cron` pattern (in `tz`). @publicApi */
export interface ScheduleSettings {
  /** The saga to start. */
  saga: string;
  /** Its input, validated now and again at each start. */
  input: object;
  /** Start one every so often (at least 1 s), such as `'15m'`; or give `cron`. */
  every?: Duration;
  /** A cron pattern (5 or 6 fields, seconds first when 6), such as `'0 3 * * *'`; or give `every`. */
  cron?: string;
  /** The IANA time zone of `cron`. @defaultValue UTC */
  tz?: string;
  /** Tags of each saga it starts, beside `scheduleId`. */
  tags?: Readonly<Record<string, string>>;
}

/** A schedule as kept, with whether it is paused and when it next starts a saga. @publicApi */
export interface Schedule extends ScheduleSettings {
  id: string;
  paused: boolean;
  /** ISO time of the next start; absent while paused. */
  nextRunAt?: string;
}

/** Shortest `every`: a saga a second per schedule is plenty for a scheduler, and a faster one is a mistake. */
const MIN_EVERY_MS = 1_000;

/**
 * Starts sagas on a schedule, with BullMQ's job schedulers: one per schedule on {@link SCHEDULES_QUEUE}, whose
 * jobs the workers turn into saga starts (see ScheduleWorker), once each even if redelivered. A start missed while
 * no worker ran happens once when one returns (BullMQ keeps one pending job per scheduler), not once per missed
 * time. What each schedule starts is kept in a hash beside, so that pausing it (removing its job scheduler) and
 * resuming it keep it.
 */
export class SagaSchedules {
  constructor(
    private readonly registry: SagaRegistry,
    private readonly queues: SagaQueues,
    private readonly redis: Redis,
  ) {}

  /**
   * Creates the schedule, or replaces the one with this id (a paused one stays paused).
   * @returns whether it was created
   * @throws ScheduleInvalidError for a bad id, `every`, `cron` or time zone; SagaDefinitionNotFoundError,
   * SagaInputInvalidError as a start would; nothing was written
   */
  async upsert(id: string, settings: ScheduleSettings): Promise<{ schedule: Schedule; created: boolean }> {
    checkSettings(id, settings);
    const definition = this.registry.latest(settings.saga);
    const input = await validateSagaInput(definition, settings.input);
    const existing = await this.stored(id);
    const kept: StoredSchedule = { ...settings, input, paused: existing?.paused ?? false };
    await guardRedis(() => this.redis.hset(this.queues.keys.schedules(), id, JSON.stringify(kept)));
    if (!kept.paused) await this.schedule(id, kept);
    return { schedule: await this.get(id), created: existing === undefined };
  }

  /** @throws ScheduleNotFoundError */
  async get(id: string): Promise<Schedule> {
    const stored = await this.stored(id);
    if (!stored) throw new ScheduleNotFoundError(id);
    return this.describe(id, stored);
  }

  /** Every schedule, by id. */
  async list(): Promise<Schedule[]> {
    const all = await guardRedis(() => this.redis.hgetall(this.queues.keys.schedules()));
    const schedules = Object.entries(all)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([id, json]) => this.describe(id, JSON.parse(json) as StoredSchedule));
    return Promise.all(schedules);
  }

  /** Stops starting sagas until {@link resume}; a start already due still happens. @throws ScheduleNotFoundError */
  async pause(id: string): Promise<Schedule> {
    return this.setPaused(id, true);
  }

  /** @throws ScheduleNotFoundError */
  async resume(id: string): Promise<Schedule> {
    return this.setPaused(id, false);
  }

  /** @throws ScheduleNotFoundError */
  async remove(id: string): Promise<void> {
    const removed = await guardRedis(() => this.redis.hdel(this.queues.keys.schedules(), id));
    if (removed === 0) throw new ScheduleNotFoundError(id);
    await guardRedis(() => this.queue().removeJobScheduler(id));
  }

  /** What a schedule's job starts: its settings as kept now (undefined once removed or paused). */
  async due(id: string): Promise<ScheduleSettings | undefined> {
    const stored = await this.stored(id);
    return stored && !stored.paused ? stored : undefined;
  }

  private async setPaused(id: string, paused: boolean): Promise<Schedule> {
    const stored = await this.stored(id);
    if (!stored) throw new ScheduleNotFoundError(id);
    const kept = { ...stored, paused };
    await guardRedis(() => this.redis.hset(this.queues.keys.schedules(), id, JSON.stringify(kept)));
    if (paused) await guardRedis(() => this.queue().removeJobScheduler(id));
    else await this.schedule(id, kept);
    return this.describe(id, kept);
  }

  private async schedule(id: string, settings: ScheduleSettings): Promise<void> {
    const repeat = settings.cron
      ? { pattern: settings.cron, ...(settings.tz && { tz: settings.tz }) }
      : { every: toMilliseconds(settings.every as Duration) as number };
    await guardRedis(() =>
      this.queue().upsertJobScheduler(id, repeat, {
        name: settings.saga,
        data: { scheduleId: id },
        opts: { removeOnComplete: { count: 1_000 }, removeOnFail: { count: 1_000 } },
      }),
    );
  }

  private async describe(id: string, stored: StoredSchedule): Promise<Schedule> {
    const { paused, ...settings } = stored;
    const scheduler = paused ? undefined : await guardRedis(() => this.queue().getJobScheduler(id));
    return {
      id,
      ...settings,
      paused,
      ...(scheduler?.next !== undefined && { nextRunAt: new Date(scheduler.next).toISOString() }),
    };
  }

  private async stored(id: string): Promise<StoredSchedule | undefined> {
    const json = await guardRedis(() => this.redis.hget(this.queues.keys.schedules(), id));
    return json ? (JSON.parse(json) as StoredSchedule) : undefined;
  }

  private queue(): Queue {
    return this.queues.schedules();
  }
}

type StoredSchedule = ScheduleSettings & { paused: boolean };

function checkSettings(id: string, { every, cron, tz }: ScheduleSettings): void {
  const errors: InputFieldError[] = [];
  if (!NAME_PATTERN.test(id)) errors.push({ field: 'id', messages: [`id must match ${NAME_PATTERN}`] });
  if ((every === undefined) === (cron === undefined)) {
    errors.push({ field: 'every', messages: ['give either every or cron'] });
  }
  if (every !== undefined) {
    const ms = toMilliseconds(every);
    if (ms === undefined || ms < MIN_EVERY_MS) {
      errors.push({ field: 'every', messages: ['every must be a duration of at least 1s, such as 15m'] });
    }
  }
  if (cron !== undefined) {
    try {
      CronExpressionParser.parse(cron);
    } catch (error) {
      errors.push({
        field: 'cron',
        messages: [`cron must be a cron pattern such as "0 3 * * *": ${(error as Error).message}`],
      });
    }
  }
  if (tz !== undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
    } catch {
      errors.push({ field: 'tz', messages: ['tz must be an IANA time zone, such as Europe/Lisbon'] });
    }
  }
  if (errors.length > 0) throw new ScheduleInvalidError(id, errors);
}
