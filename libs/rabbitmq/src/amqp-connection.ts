import { connect, type ChannelModel } from 'amqplib';

/** How long opening a connection (TCP, TLS and the AMQP handshake) may take before it counts as failed. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Opens a connection named `connectionName` (as RabbitMQ lists it).
 * @throws Error saying which broker did not answer (password hidden) and what to check, the cause attached
 */
export async function openAmqpConnection(url: string, connectionName: string): Promise<ChannelModel> {
  try {
    return await connect(url, { timeout: CONNECT_TIMEOUT_MS, clientProperties: { connection_name: connectionName } });
  } catch (error) {
    throw new Error(
      `RabbitMQ at ${redactUrl(url)} refused or did not answer (${(error as Error).message}). ` +
        'Check the URL, the credentials and the vhost, and that the broker runs.',
      { cause: error },
    );
  }
}

/** The URL with its password replaced by `***`, for logs and error messages. */
export function redactUrl(url: string): string {
  return url.replace(/^(amqps?:\/\/[^:@/]*):[^@/]*@/, '$1:***@');
}
