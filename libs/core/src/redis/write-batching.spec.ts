import { Redis } from 'ioredis';
import { PrivateRedis } from '../../../../tools/private-redis';
import { batchWrites } from './write-batching';

/** Reads Redis has made from its clients' sockets since it started. */
async function readsProcessed(redis: Redis): Promise<number> {
  return Number(/total_reads_processed:(\d+)/.exec(await redis.info('stats'))?.[1]);
}

describe('batchWrites', () => {
  // A server of its own: its read counter counts this suite's writes only.
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
    const before = await readsProcessed(redis);
    const replies = Array.from({ length: 50 }, (_, i) => {
      batchWrites(redis);
      return redis.echo(`message ${i}`);
    });
    expect(await Promise.all(replies)).toEqual(Array.from({ length: 50 }, (_, i) => `message ${i}`));
    // The 50 commands, then the INFO that reads the counter again.
    expect((await readsProcessed(redis)) - before).toBeLessThanOrEqual(3);
  });

  it('holds nothing back past the tick: a command of the next tick is sent at once', async () => {
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
