/**
 * Options of {@link SagaModule.forRoot}.
 * @publicApi
 */
export interface SagaModuleOptions {
  /**
   * Redis to keep sagas and queues in, as a URL (`redis://user:password@host:6379/0`, `rediss://` for TLS).
   * @defaultValue 'redis://127.0.0.1:6379'
   */
  redisUrl?: string;
  /**
   * Prefix of every key the engine writes, queues included; lets several deployments share one Redis.
   * @defaultValue 'sagaflow'
   */
  prefix?: string;
  /**
   * Fail Redis commands at once while the connection is down, instead of queueing them until it is back.
   * Right for an HTTP API (it answers 503 at once); a worker waits for Redis instead.
   * @defaultValue false
   */
  failFast?: boolean;
}
