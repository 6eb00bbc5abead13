import type { Redis } from 'ioredis';
import type { EventSink } from '../event-sink';
import type { SagaLifecycleEvent } from '../saga-lifecycle-event';

/** Options of {@link RedisStreamEventSink}. @publicApi */
export interface RedisStreamSinkOptions {
  /** The stream lifecycle events are added to. */
  stream: string;
  /** About how many entries the stream keeps (XADD MAXLEN ~). @defaultValue 1000000 */
  maxLength?: number;
}

/**
 * Publishes lifecycle events to a Redis stream other services read (with their own consumer groups): one entry per
 * event, with fields `event` (the JSON), `type`, `sagaId` and `id`. Written with one MULTI per batch: all or none.
 * @publicApi
 */
export class RedisStreamEventSink implements EventSink {
  readonly name = 'redis-stream';

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisStreamSinkOptions,
  ) {}

  async start(): Promise<void> {}

  async publish(events: readonly SagaLifecycleEvent[]): Promise<void> {
    const multi = this.redis.multi();
    for (const event of events) {
      multi.xadd(
        this.options.stream,
        'MAXLEN',
        '~',
        this.options.maxLength ?? 1_000_000,
        '*',
        'event',
        JSON.stringify(event),
        'type',
        event.type,
        'sagaId',
        event.sagaId,
        'id',
        event.id,
      );
    }
    const replies = await multi.exec();
    const failed = replies?.find(([error]) => error);
    if (!replies || failed) throw failed?.[0] ?? new Error('The MULTI was discarded.');
  }

  async close(): Promise<void> {}
}
