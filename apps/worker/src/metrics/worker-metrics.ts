import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AttemptObserver } from '@sagaflow/core';
import { processMetricsRegistry } from '@sagaflow/server';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import type { WorkerConfig } from '../config/worker.config';
import { StepMetrics } from './step-metrics';

/**
 * The worker's `GET /metrics` on `SAGAFLOW_WORKER_METRICS_PORT`: the process metrics, as the API serves them, and
 * the step attempts of this process. Without the port, nothing is measured or served.
 */
@Injectable()
export class WorkerMetrics implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerMetrics.name);
  private readonly port?: number;
  private readonly registry?: Registry;
  private server?: Server;
  /** What the step executor wraps each attempt in. */
  readonly observers: AttemptObserver[] = [];

  constructor(config: ConfigService<WorkerConfig, true>) {
    this.port = config.get('SAGAFLOW_WORKER_METRICS_PORT', { infer: true });
    if (this.port === undefined) return;
    this.registry = processMetricsRegistry();
    this.observers.push(new StepMetrics(this.registry));
  }

  async onApplicationBootstrap(): Promise<void> {
    const { registry } = this;
    if (!registry) return;
    this.server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        response.writeHead(404).end();
        return;
      }
      registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': Registry.PROMETHEUS_CONTENT_TYPE }).end(text),
        (error: Error) => response.writeHead(500).end(error.message),
      );
    });
    this.server.listen(this.port, '0.0.0.0');
    await once(this.server, 'listening');
    this.logger.log(`Metrics on port ${(this.server.address() as AddressInfo).port} (GET /metrics)`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.server) return;
    this.server.close();
    this.server.closeAllConnections();
    await once(this.server, 'close');
  }
}
