import { clusterTarget, keyPrefix, parseHostList, shardPrefixes } from './cluster';

describe('cluster addresses and key prefixes', () => {
  it('reads the nodes and the login of a redis-cluster:// URL', () => {
    expect(clusterTarget('redis-cluster://app:s%3Acret@10.0.0.1:6379,[::1]:7000')).toEqual({
      nodes: [
        { host: '10.0.0.1', port: 6379 },
        { host: '::1', port: 7000 },
      ],
      login: { username: 'app', password: 's:cret' },
    });
    expect(clusterTarget('redis-cluster://127.0.0.1:7001').login).toEqual({});
  });

  it('refuses a URL or an address it cannot read, naming it', () => {
    expect(() => clusterTarget('redis-cluster://127.0.0.1:7001/2')).toThrow(/must read redis-cluster:\/\//);
    expect(() => parseHostList('10.0.0.1:6379, 10.0.0.2')).toThrow('Address "10.0.0.2" must be host:port');
    expect(() => parseHostList('10.0.0.1:70000')).toThrow('Address "10.0.0.1:70000" must be host:port');
  });

  it('puts the prefix in a hash tag on a cluster only, one per shard when there are several', () => {
    expect(keyPrefix('sagaflow', 'redis://127.0.0.1:6379')).toBe('sagaflow');
    expect(keyPrefix('sagaflow', 'redis-cluster://127.0.0.1:7001')).toBe('{sagaflow}');
    expect(shardPrefixes('sagaflow', 'redis-cluster://127.0.0.1:7001')).toEqual(['{sagaflow}']);
    expect(shardPrefixes('sagaflow', 'redis-cluster://127.0.0.1:7001', 3)).toEqual([
      '{sagaflow-0}',
      '{sagaflow-1}',
      '{sagaflow-2}',
    ]);
    expect(shardPrefixes('sagaflow', undefined, 2)).toEqual(['sagaflow-0', 'sagaflow-1']);
    expect(() => shardPrefixes('sagaflow', undefined, 0)).toThrow(/at least 1/);
  });
});
