import type { SagaLogger } from '@sagaflow/core';
import { connect, type NatsConnection } from './nats-client';
import { NatsUnreachableError } from './nats-unreachable.error';

/** Where a NATS source or sink connects to. @publicApi */
export interface NatsConnectionOptions {
  /**
   * The servers to connect to (`host:port` or `nats://host:port`); the client moves to another on a loss.
   * @defaultValue `'127.0.0.1:4222'`
   */
  servers?: string | string[];
  /**
   * A connection of your own, for instance shared by a source and a sink. `servers` is then not used, and
   * `stop()`/`close()` leave the connection open: whoever opened it closes it.
   */
  connection?: NatsConnection;
}

export const DEFAULT_NATS_SERVERS = ['127.0.0.1:4222'];

/** The servers as a list. */
export function natsServerList(servers: string | string[] | undefined): string[] {
  if (servers === undefined) return DEFAULT_NATS_SERVERS;
  return (Array.isArray(servers) ? servers : servers.split(',')).map((server) => server.trim()).filter(Boolean);
}

/**
 * Connects for the lifetime of a process: the first connection must succeed (a worker that cannot reach its broker
 * should not boot as if it could), later losses are reconnected without a limit, and each is logged.
 */
export async function connectNats(servers: string[], name: string, logger: SagaLogger): Promise<NatsConnection> {
  let connection: NatsConnection;
  try {
    connection = await connect({ servers, name, maxReconnectAttempts: -1, reconnectTimeWait: 1_000, timeout: 5_000 });
  } catch (error) {
    throw new NatsUnreachableError(servers, error);
  }
  void logStatus(connection, name, logger);
  return connection;
}

async function logStatus(connection: NatsConnection, name: string, logger: SagaLogger): Promise<void> {
  for await (const status of connection.status()) {
    if (status.type === 'disconnect')
      logger.warn(`NATS connection ${name} lost; reconnecting`, { server: status.server });
    else if (status.type === 'reconnect') logger.log(`NATS connection ${name} back`, { server: status.server });
    else if (status.type === 'error') logger.error(`NATS connection ${name}: ${status.error.message}`);
  }
}
