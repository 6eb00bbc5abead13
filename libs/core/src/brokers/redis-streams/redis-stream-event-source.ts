import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { EventInvalidError } from '../../errors/event-invalid.error';
import type { SagaLogger } from '../../runtime/saga-logger';
import { refusalReason } from '../event-handler';
import type { EventHandler, EventSource } from '../event-source';

/** Options of {@link RedisStreamEventSource}. @publicApi */
export interface RedisStreamSourceOptions {
  /** The stream events are added to, each entry with a field `event` holding the event's JSON. */
  stream: string;
  /** The consumer group of sagaflow's workers. @defaultValue 'sagaflow' */
  group?: string;
  /** This process' name in the group. @defaultValue `<hostname>-<pid>` */
  consumer?: string;
  /** Where refused entries go, with field `reason`. @defaultValue `<stream>:dead` */
  deadLetterStream?: string;
  /** How long an entry may stay unacknowledged with a consumer before another one takes it over. @defaultValue 30000 */
  claimIdleMs?: number;
  /** Entries read per round. @defaultValue 50 */
  batchSize?: number;
}

type StreamEntry = [id: string, fields: string[]];
const BLOCK_MS = 1_000;
const RETRY_MS = 1_000;

/**
 * Consumes events from a Redis stream with a consumer group: each worker process is a consumer; an entry is
 * acknowledged (XACK) once the engine has recorded its event. An entry whose consumer died before that stays
 * pending and is claimed by another consumer after `claimIdleMs` (XAUTOCLAIM); its id, `redis-<entry id>`, is
 * the event's id when it carries none, so its second delivery changes nothing. An entry that is not a valid event
 * is copied to the dead-letter stream with the reason, then acknowledged: it does not block the stream.
 * @publicApi
 */
export class RedisStreamEventSource implements EventSource {
  readonly name = 'redis-stream';
  private readonly group: string;
  private readonly consumer: string;
  private readonly deadLetters: string;
  private readonly stopping = new AbortController();
  private running?: Promise<void>;
  private handle?: EventHandler;

  /** @param connection - a connection of its own: reads block it */
  constructor(
    private readonly connection: Redis,
    private readonly logger: SagaLogger,
    private readonly options: RedisStreamSourceOptions,
  ) {
    this.group = options.group ?? 'sagaflow';
    this.consumer = options.consumer ?? `${hostname()}-${process.pid}`;
    this.deadLetters = options.deadLetterStream ?? `${options.stream}:dead`;
  }

  async start(handle: EventHandler): Promise<void> {
    this.handle = handle;
    await this.connection.xgroup('CREATE', this.options.stream, this.group, '$', 'MKSTREAM').catch((error: Error) => {
      if (!error.message.includes('BUSYGROUP')) throw error;
    });
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  private async loop(): Promise<void> {
    const { signal } = this.stopping;
    // First what this consumer was given before a restart and never acknowledged, then new entries.
    let position = '0';
    while (!signal.aborted) {
      try {
        const entries = [...(await this.claimAbandoned()), ...(await this.read(position))];
        if (position === '0' && entries.length === 0) position = '>';
        for (const entry of entries) await this.process(entry);
      } catch (error) {
        if (signal.aborted) break;
        this.logger.warn(`Reading stream "${this.options.stream}" failed; trying again: ${(error as Error).message}`);
        await sleep(RETRY_MS, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  private async read(position: string): Promise<StreamEntry[]> {
    const block = position === '>' ? ['BLOCK', BLOCK_MS] : [];
    // Sent as a raw command (ioredis' typing of XREADGROUP has no COUNT before BLOCK): the reply of one stream is
    // [name, entries] on RESP3, [[name, entries]] on RESP2.
    const reply = (await this.connection.call(
      'XREADGROUP',
      'GROUP',
      this.group,
      this.consumer,
      'COUNT',
      this.options.batchSize ?? 50,
      ...block,
      'STREAMS',
      this.options.stream,
      position,
    )) as [string, StreamEntry[]] | [[string, StreamEntry[]]] | null;
    if (!reply) return [];
    return (Array.isArray(reply[0]) ? reply[0][1] : reply[1]) as StreamEntry[];
  }

  /** Entries another consumer was given and has not acknowledged for `claimIdleMs`: it is gone or stuck. */
  private async claimAbandoned(): Promise<StreamEntry[]> {
    const [, claimed] = (await this.connection.xautoclaim(
      this.options.stream,
      this.group,
      this.consumer,
      this.options.claimIdleMs ?? 30_000,
      '0-0',
      'COUNT',
      this.options.batchSize ?? 50,
    )) as [string, StreamEntry[]];
    return claimed.filter((entry) => entry[1] !== null);
  }

  private async process([id, fields]: StreamEntry): Promise<void> {
    // The entry's fields are name, value, name, value…: `event` is the body, any other a header (`traceparent`).
    const field = (name: string) => {
      for (let i = 0; i < fields.length - 1; i += 2) if (fields[i] === name) return fields[i + 1];
      return undefined;
    };
    const body = field('event') ?? '';
    const header = (name: string) => (name === 'event' ? undefined : field(name));
    try {
      await (this.handle as EventHandler)(body, `redis-${id}`, header);
    } catch (error) {
      // Not recorded: left pending, for this consumer's next start or another consumer's claim.
      if (!(error instanceof EventInvalidError)) throw error;
      const reason = refusalReason(error);
      this.logger.warn(`Refused entry ${id} of stream "${this.options.stream}": ${reason}`);
      await this.connection.xadd(this.deadLetters, '*', 'event', body, 'reason', reason, 'source', id);
    }
    await this.connection.xack(this.options.stream, this.group, id);
  }
}
