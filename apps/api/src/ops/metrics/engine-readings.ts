import { Injectable, Logger } from '@nestjs/common';
import { SagaClient, type SagaMetrics } from '@sagaflow/core';

/** What one scrape reads from the engine: its counters and the jobs of each of its queues. */
export interface EngineReading {
  metrics: SagaMetrics;
  queues: { queue: string; counts: Record<string, number> }[];
}

/**
 * Reads the engine's figures from Redis once per scrape. Every engine metric collects from the same reading,
 * so one scrape costs two round trips however many series it writes, and its series agree with each other.
 */
@Injectable()
export class EngineReadings {
  private readonly logger = new Logger(EngineReadings.name);
  private pending?: Promise<EngineReading | undefined>;

  constructor(private readonly sagas: SagaClient) {}

  /**
   * The reading of the scrape in progress: the metrics of a scrape are collected in one tick, so the first asks
   * Redis and the others share its answer. `undefined` when Redis did not answer; the scrape still serves the
   * process metrics.
   */
  read(): Promise<EngineReading | undefined> {
    this.pending ??= Promise.all([this.sagas.metrics(), this.sagas.queueDepths()])
      .then(
        ([metrics, queues]): EngineReading => ({ metrics, queues }),
        (error: unknown) => {
          this.logger.warn(`Could not read the engine's metrics: ${error instanceof Error ? error.message : error}`);
          return undefined;
        },
      )
      .finally(() => (this.pending = undefined));
    return this.pending;
  }
}
