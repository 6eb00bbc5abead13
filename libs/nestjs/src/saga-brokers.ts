import type { Redis } from 'ioredis';
import {
  type LifecycleOutbox,
  LifecycleRelay,
  eventHandler,
  type EventSink,
  type EventSource,
  type SagaClient,
  type SagaLogger,
} from '@sagaflow/core';

/** What a broker adapter is built from: a connection of its own for Redis-based ones, the key prefix, a logger. */
export interface BrokerContext {
  /** A new connection (`maxRetriesPerRequest: null`), for blocking reads; closed with the adapter's process. */
  redis: () => Redis;
  prefix: string;
  logger: (name: string) => SagaLogger;
}

/** Builds an event source or sink when the worker starts. @publicApi */
export type BrokerFactory<T> = (context: BrokerContext) => T;

/**
 * The broker side of a worker process: the event sources it consumes, and the relay that publishes the lifecycle
 * outbox to the sinks (and trims it). Started after the step workers, stopped before them.
 */
export class SagaBrokers {
  private readonly connections: Redis[] = [];
  private readonly sources: EventSource[];
  private readonly sinks: EventSink[];
  private readonly relay: LifecycleRelay;

  constructor(
    private readonly client: SagaClient,
    outbox: LifecycleOutbox,
    redis: Redis,
    prefix: string,
    logger: (name: string) => SagaLogger,
    factories: { sources?: BrokerFactory<EventSource>[]; sinks?: BrokerFactory<EventSink>[] },
  ) {
    const context: BrokerContext = {
      redis: () => {
        const connection = redis.duplicate();
        this.connections.push(connection);
        return connection;
      },
      prefix,
      logger,
    };
    this.sources = (factories.sources ?? []).map((build) => build(context));
    this.sinks = (factories.sinks ?? []).map((build) => build(context));
    this.relay = new LifecycleRelay(redis, outbox.keys, outbox, this.sinks, logger(LifecycleRelay.name));
  }

  /** @throws when a broker cannot be reached or refuses the declarations, naming it */
  async start(): Promise<string[]> {
    for (const sink of this.sinks) await named(`Event sink "${sink.name}"`, () => sink.start());
    this.relay.start();
    const handle = eventHandler(this.client);
    for (const source of this.sources) await named(`Event source "${source.name}"`, () => source.start(handle));
    return [...this.sources.map((source) => `source ${source.name}`), ...this.sinks.map((sink) => `sink ${sink.name}`)];
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.sources.map((source) => source.stop()));
    await this.relay.stop();
    await Promise.allSettled(this.sinks.map((sink) => sink.close()));
    this.connections.forEach((connection) => connection.disconnect());
  }
}

async function named(what: string, start: () => Promise<void>): Promise<void> {
  try {
    await start();
  } catch (error) {
    throw new Error(`${what} could not start: ${(error as Error).message}`, { cause: error });
  }
}
