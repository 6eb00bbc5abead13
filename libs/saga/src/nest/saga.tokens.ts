/** The ioredis connection the engine uses for its state (and that sample gateways may share). @publicApi */
export const SAGA_REDIS = Symbol('SAGA_REDIS');
