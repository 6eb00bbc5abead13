/** The ioredis connection the engine uses for its state (and that sample gateways may share). @publicApi */
export const SAGA_REDIS = Symbol('SAGA_REDIS');

/**
 * The key prefix in force (a string; the first shard's, see `SagaModuleOptions.shards`), for providers that keep
 * data of their own beside the engine's.
 * @publicApi
 */
export const SAGA_PREFIX = Symbol('SAGA_PREFIX');
