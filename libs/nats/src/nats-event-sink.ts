import type { SagaLogger, EventSink, SagaLifecycleEvent } from '@sagaflow/core';
import { headers, jetstream, jetstreamManager, nanos, type JetStreamClient, type NatsConnection } from './nats-client';
import { connectNats, natsServerList } from './nats-connection';
import {
  resolveNatsEventSinkOptions,
  type NatsEventSinkOptions,
  type ResolvedNatsEventSinkOptions,
} from './nats-event-sink-options';
import { ensureStream } from './nats-streams';
import { lifecycleSubject } from './nats-subjects';

const silent: SagaLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** Headers of a lifecycle event message, besides `Nats-Msg-Id` (the event id). @publicApi */
export const NatsLifecycleHeaders = {
  schemaVersion: 'Sagaflow-Schema-Version',
  type: 'Sagaflow-Event-Type',
  sagaId: 'Sagaflow-Saga-Id',
  saga: 'Sagaflow-Saga',
  contentType: 'Content-Type',
} as const;

/**
 * Publishes saga lifecycle events to NATS JetStream, each on `<subjectPrefix>.<type>` as JSON, with the event id
 * as `Nats-Msg-Id` so that JetStream drops a second publish of it within the stream's duplicate window, and the
 * schema version, type and saga in headers. `publish` resolves once JetStream acknowledged every event.
 * @publicApi
 */
export class NatsEventSink implements EventSink {
  readonly name = 'nats';
  private readonly settings: ResolvedNatsEventSinkOptions;
  private readonly logger: SagaLogger;
  private connection?: NatsConnection;
  private js?: JetStreamClient;

  /** @throws {@link NatsOptionsInvalidError} naming the first option that is wrong. */
  constructor(private readonly options: NatsEventSinkOptions = {}) {
    this.settings = resolveNatsEventSinkOptions(options);
    this.logger = options.logger ?? silent;
  }

  /** Connects and declares the stream. Rejects when NATS cannot be reached ({@link NatsUnreachableError}). */
  async start(): Promise<void> {
    if (this.connection) return;
    const { settings } = this;
    const connection =
      this.options.connection ??
      (await connectNats(natsServerList(this.options.servers), `sagaflow-sink-${settings.stream}`, this.logger));
    this.connection = connection;
    try {
      await ensureStream(await jetstreamManager(connection), {
        name: settings.stream,
        subjects: [`${settings.subjectPrefix}.>`],
        create: {
          duplicate_window: nanos(settings.duplicateWindowMs),
          ...(settings.maxAgeMs === undefined ? {} : { max_age: nanos(settings.maxAgeMs) }),
        },
      });
    } catch (error) {
      await this.close();
      throw error;
    }
    this.js = jetstream(connection, { timeout: settings.publishTimeoutMs });
    this.logger.log(`Publishing lifecycle events to NATS stream ${settings.stream} (${settings.subjectPrefix}.>)`);
  }

  /**
   * Publishes the events one after the other, each awaiting its JetStream ack before the next is sent: a failure
   * leaves no later event published ahead of it, so a retry by the outbox keeps the order (the events already
   * stored are dropped as duplicates).
   */
  async publish(events: readonly SagaLifecycleEvent[]): Promise<void> {
    const js = this.js;
    if (!js) throw new Error('This NATS event sink is not started: call start() before publish().');
    for (const event of events) {
      const eventHeaders = headers();
      eventHeaders.set(NatsLifecycleHeaders.schemaVersion, String(event.schemaVersion));
      eventHeaders.set(NatsLifecycleHeaders.type, event.type);
      eventHeaders.set(NatsLifecycleHeaders.sagaId, event.sagaId);
      eventHeaders.set(NatsLifecycleHeaders.saga, event.saga);
      eventHeaders.set(NatsLifecycleHeaders.contentType, 'application/json');
      await js.publish(lifecycleSubject(this.settings.subjectPrefix, event.type), JSON.stringify(event), {
        msgID: event.id,
        headers: eventHeaders,
      });
    }
  }

  /** Closes the connection it opened (a connection given in the options is left open). */
  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    this.js = undefined;
    if (!connection || connection.isClosed() || this.options.connection) return;
    await connection.drain().catch(() => connection.close());
  }
}
