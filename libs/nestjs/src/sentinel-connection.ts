import { parseHostList, reconnectDelay } from '@sagaflow/core';
import { Redis, SentinelConnector, type RedisOptions } from 'ioredis';

/** The master group name Sentinel monitors when none is given (Redis' own example name). */
export const DEFAULT_SENTINEL_NAME = 'mymaster';

export const SENTINEL_SCHEME = 'redis-sentinel://';

/** Where a sentinel announces a new master: `<name> <old ip> <old port> <new ip> <new port>`. */
const SWITCH_MASTER = '+switch-master';

type SentinelOptions = ConstructorParameters<typeof SentinelConnector>[0];
type Stream = Awaited<ReturnType<SentinelConnector['connect']>>;

/**
 * ioredis' Sentinel connector, with a failover detector that cannot end a connection for good.
 *
 * ioredis' own detector (`failoverDetector`) disconnects the connector when a sentinel announces a new master. When
 * that lands while the connection is reconnecting (its master just died), it cancels the reconnection instead: the
 * connection ends (status `end`) and every later command fails with "Connection is closed". A failover test saw
 * a worker lose its connection so in 2 runs of 21 on a loaded machine. Here the announcement only destroys the
 * sockets open at that moment; each connection then reconnects through the sentinels as after any lost socket.
 *
 * Given as the `Connector` option, it is copied by `duplicate()`, so BullMQ's blocking connections have it too.
 */
class FailoverFollowingConnector extends SentinelConnector {
  override async connect(eventEmitter: Parameters<SentinelConnector['connect']>[0]): Promise<Stream> {
    const stream = await super.connect(eventEmitter);
    MasterSwitches.of(this.options).follow(stream);
    return stream;
  }
}

/**
 * The sockets of one process to the master of one sentinel group, and one subscription per sentinel to its
 * announcements (instead of one per connection, as ioredis' detector opens), kept while a socket is open.
 */
class MasterSwitches {
  private static readonly byGroup = new Map<string, MasterSwitches>();
  private readonly streams = new Set<Stream>();
  private subscribers: Redis[] = [];

  private constructor(
    private readonly key: string,
    private readonly options: SentinelOptions,
  ) {}

  static of(options: SentinelOptions): MasterSwitches {
    const { sentinels, name, sentinelUsername, sentinelPassword } = options;
    const key = JSON.stringify([sentinels, name, sentinelUsername, sentinelPassword]);
    let group = MasterSwitches.byGroup.get(key);
    if (!group) MasterSwitches.byGroup.set(key, (group = new MasterSwitches(key, options)));
    return group;
  }

  follow(stream: Stream): void {
    if (this.streams.size === 0) this.subscribe();
    this.streams.add(stream);
    stream.once('close', () => {
      this.streams.delete(stream);
      if (this.streams.size === 0) this.unsubscribe();
    });
  }

  private subscribe(): void {
    const { sentinels = [], name = DEFAULT_SENTINEL_NAME, sentinelUsername, sentinelPassword } = this.options;
    this.subscribers = sentinels.map(({ host, port }) => {
      const sentinel = new Redis({
        host,
        port,
        username: sentinelUsername,
        password: sentinelPassword,
        retryStrategy: reconnectDelay,
        // A sentinel down now subscribes once it is back, however long that takes.
        maxRetriesPerRequest: null,
      });
      // A sentinel that is down is retried; the others announce the switch too.
      sentinel.on('error', () => undefined);
      sentinel.subscribe(SWITCH_MASTER).catch(() => undefined);
      sentinel.on('message', (_channel: string, message: string) => {
        if (message.split(' ')[0] !== name) return;
        for (const stream of this.streams) stream.destroy();
      });
      return sentinel;
    });
  }

  private unsubscribe(): void {
    for (const sentinel of this.subscribers) sentinel.disconnect();
    this.subscribers = [];
    MasterSwitches.byGroup.delete(this.key);
  }
}

/** The ioredis options of a `redis-sentinel://` URL (see `redisSentinelUrl`). */
export function sentinelOptions(url: string): RedisOptions {
  const match = /^redis-sentinel:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#@]+)(?:\/(\d+))?\/?(?:\?([^#]*))?$/.exec(url);
  if (!match) {
    throw new Error(
      'A redis-sentinel:// URL must read redis-sentinel://[[user]:password@]host:port[,host:port…][/db]?name=<master>. ' +
        'Check your configuration.',
    );
  }
  const [, username, password, hosts, db, search] = match;
  const query = new URLSearchParams(search ?? '');
  return {
    sentinels: parseHostList(hosts),
    name: query.get('name') || DEFAULT_SENTINEL_NAME,
    username: username ? decodeURIComponent(username) : undefined,
    password: password ? decodeURIComponent(password) : undefined,
    db: db ? Number(db) : 0,
    sentinelPassword: query.get('sentinelPassword') ?? undefined,
    // Drops the connection as soon as a sentinel announces a new master (+switch-master), even when the old one
    // is cut off rather than dead; the reconnection asks the sentinels where the master is now.
    Connector: FailoverFollowingConnector as RedisOptions['Connector'],
    // A master turned replica answers writes with READONLY until its clients are dropped: reconnect (through the
    // sentinels, to the new master) and send the command again.
    reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
  };
}
