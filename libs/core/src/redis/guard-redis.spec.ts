import { ReplyError } from 'ioredis';
import { StoreUnavailableError } from '../errors/store-unavailable.error';
import { guardRedis } from './guard-redis';

const failing = (error: Error) => () => Promise.reject(error);

describe('guardRedis', () => {
  it.each([
    ['a lost connection', new Error('Connection is closed.')],
    ['a replica not promoted yet', new ReplyError("READONLY You can't write against a read only replica.")],
    ['a server loading its data', new ReplyError('LOADING Redis is loading the dataset in memory')],
    ['a cluster missing a master', new ReplyError('CLUSTERDOWN The cluster is down')],
    ['a cluster moving a slot', new ReplyError('TRYAGAIN Multiple keys request during rehashing of slot')],
  ])('turns %s into StoreUnavailableError', async (_case, error) => {
    await expect(guardRedis(failing(error))).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('lets any other reply error through as it is: a bug, not an outage', async () => {
    const error = new ReplyError('WRONGTYPE Operation against a key holding the wrong kind of value');
    await expect(guardRedis(failing(error))).rejects.toBe(error);
  });
});
