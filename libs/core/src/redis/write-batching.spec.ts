import { Redis } from 'ioredis';
import { PrivateRedis } from '../../../../tools/private-redis';
import { batchWrites } from './write-batching';

/**
 * What `work` resolves to, and how many writes the connection's socket made meanwhile (each a system call): its
 * stream's own write functions, counted as Node's Writable calls them.
 */
async function socketWritesDuring<T>(redis: Redis, work: () => Promise<T>): Promise<{ result: T; count: number }> {
  const socket = redis.stream as unknown as Record<'_write' | '_writev', (...args: unknown[]) => void>;
  const originals = { _write: socket._write, _writev: socket._writev };
  let count = 0;
  for (const name of ['_write', '_writev'] as const) {
    socket[name] = function (this: unknown, ...args: unknown[]) {
      count += 1;
      return originals[name].apply(this, args);
    };
  }
  try {
    return { result: await work(), count };
  } finally {
    Object.assign(socket, originals);
  }
}

describe('batchWrites', () => {
  let server: PrivateRedis;
  let redis: Redis;

  beforeAll(async () => {
    server = await PrivateRedis.start({ aof: 'off' });
    redis = new Redis(server.url);
    await redis.ping();
  });
  afterAll(async () => {
    redis.disconnect();
    await server.destroy();
  });

  it('sends the commands of one tick in one write, each with its own reply, in order', async () => {
    const writes = await socketWritesDuring(redis, () =>
      Promise.all(
        Array.from({ length: 50 }, (_, i) => {
          batchWrites(redis);
          return redis.echo(`message ${i}`);
        }),
      ),
    );
    expect(writes.result).toEqual(Array.from({ length: 50 }, (_, i) => `message ${i}`));
    expect(writes.count).toBe(1);
  });

  it('holds the write until the end of the turn: a command sent after promise callbacks joins it', async () => {
    const writes = await socketWritesDuring(
      redis,
      () =>
        // As BullMQ sends a job's finish: in a promise callback after the job's last command, itself sent in a tick.
        new Promise<string[]>((resolve) =>
          process.nextTick(() => {
            batchWrites(redis);
            const last = redis.echo('last transition');
            const finish = Promise.resolve()
              .then(() => undefined)
              .then(() => redis.echo('finish'));
            resolve(Promise.all([last, finish]));
          }),
        ),
    );
    expect(writes.result).toEqual(['last transition', 'finish']);
    expect(writes.count).toBe(1);
  });

  it('holds nothing back past the turn: a command of the next turn is sent at once', async () => {
    batchWrites(redis);
    await redis.echo('first');
    await expect(redis.echo('second')).resolves.toBe('second');
  });

  it('leaves a connection that is not connected yet alone (ioredis queues its commands)', async () => {
    const idle = new Redis(server.url, { lazyConnect: true });
    expect(() => batchWrites(idle)).not.toThrow();
    await expect(idle.echo('queued')).resolves.toBe('queued');
    idle.disconnect();
  });
});
