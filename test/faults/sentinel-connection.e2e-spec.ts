import { createServer, connect as connectTcp, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { reconnectDelay } from '@sagaflow/core';
import { sentinelOptions } from '../../libs/nestjs/src/sentinel-connection';
import { startSentinelGroup, untilReplicaPromoted, type SentinelGroup } from './sentinel-group';

/**
 * The connections of the engine to a Redis behind Sentinel (those of `createRedisConnection`, in the mode of
 * workers: commands wait for Redis), through a failover, at the level of the connection: many at once, so that
 * a race of the reconnection with the announcement of the new master shows.
 */
describe('a connection through Sentinel', () => {
  let group: SentinelGroup;
  let connections: Redis[] = [];

  beforeEach(async () => {
    group = await startSentinelGroup({ aof: 'off' });
  });

  afterEach(async () => {
    for (const connection of connections) connection.disconnect();
    connections = [];
    group.master.thaw();
    await Promise.all([group.sentinel.destroy(), group.replica.destroy(), group.master.destroy()]);
  });

  /** Connections as the workers make them, through the sentinel at `port`, each answering. */
  async function connectThrough(port: number, count: number): Promise<Redis[]> {
    const url = `redis-sentinel://127.0.0.1:${port}?name=${group.sentinel.name}`;
    connections = Array.from(
      { length: count },
      () =>
        new Redis({
          ...sentinelOptions(url),
          maxRetriesPerRequest: null,
          retryStrategy: reconnectDelay,
        }),
    );
    for (const connection of connections) connection.on('error', () => undefined);
    await Promise.all(connections.map((connection) => connection.ping()));
    return connections;
  }

  it('comes back after the master dies, even when the new master is announced while it reconnects', async () => {
    // Each reconnection asks the sentinel where the master is. Slowed down, each by its own delay, those questions
    // take a good part of the time, and the connections' reconnections drift apart, so that some are asking when
    // the sentinel announces the new master.
    const proxy = await slowProxy(group.sentinel.port, 20, 150);
    try {
      const clients = await connectThrough(proxy.port, 40);
      await group.master.kill();
      await untilReplicaPromoted(group);

      const written = await Promise.all(
        clients.map((client, i) => withinMs(client.incr(`after-failover-${i}`), 15_000, () => client.status)),
      );
      expect(written).toEqual(clients.map(() => 1));
      expect(await group.replica.command('DBSIZE')).toBe(clients.length);
    } finally {
      await proxy.close();
    }
  }, 90_000);

  it('leaves a master that stops answering without closing its connections, once the new master is announced', async () => {
    const clients = await connectThrough(group.sentinel.port, 5);
    group.master.freeze();
    const writes = clients.map((client, i) => client.set(`during-cut-${i}`, 'written'));
    await untilReplicaPromoted(group);

    // The writes sent to the frozen master are sent again to the new one.
    await Promise.all(writes.map((write, i) => withinMs(write, 15_000, () => clients[i].status)));
    expect(await group.replica.command('MGET', ...clients.map((_client, i) => `during-cut-${i}`))).toEqual(
      clients.map(() => 'written'),
    );
  }, 90_000);
});

/** Fails with the connection's status when a command has not answered in time, instead of hanging the test. */
async function withinMs<T>(answer: Promise<T>, ms: number, status: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`No answer within ${ms} ms; connection ${status()}.`)), ms);
  });
  try {
    return await Promise.race([answer, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A TCP proxy to a local port that holds each chunk, both ways, for a delay drawn per connection. */
async function slowProxy(
  targetPort: number,
  minDelayMs: number,
  maxDelayMs: number,
): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const relay = (from: Socket, to: Socket, delayMs: number) =>
    from.on('data', (chunk) => setTimeout(() => to.writable && to.write(chunk), delayMs));
  const server: Server = createServer((client) => {
    const delayMs = minDelayMs + Math.random() * (maxDelayMs - minDelayMs);
    const target = connectTcp(targetPort, '127.0.0.1');
    for (const socket of [client, target]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        target.destroy();
      });
    }
    relay(client, target, delayMs);
    relay(target, client, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
