import type { Redis } from 'ioredis';
import { EventInbox } from '../events/event-inbox';
import { ChildSagas } from './child-sagas';
import { RedisSagaStore, type RedisSagaStoreOptions } from '../store/redis-saga-store';
import { SagaClient, type SagaClientOptions } from './saga-client';
import { SagaQueues } from '../queues/saga-queues';
import { SagaRegistry } from '../definition/saga-registry';
import { StepDispatcher } from '../queues/step-dispatcher';
import { DEFAULT_RETENTION_MS } from '../definition/retention';

/** The engine's shared pieces over one connection, wired as the Nest module wires them. @publicApi */
export interface SagaParts {
  registry: SagaRegistry;
  store: RedisSagaStore;
  queues: SagaQueues;
  dispatcher: StepDispatcher;
  inbox: EventInbox;
  client: SagaClient;
  children: ChildSagas;
}

/**
 * Wires the engine without Nest (scripts, benchmarks, tests). The connection must allow blocking commands
 * (`maxRetriesPerRequest: null`) if workers will share it. `prefix` is the key prefix of the one shard, or of each
 * shard (see `shardPrefixes`).
 * @publicApi
 */
export function createSagaParts(
  redis: Redis,
  prefix: string | readonly string[],
  options: SagaClientOptions & RedisSagaStoreOptions & { eventRetentionMs?: number } = {},
): SagaParts {
  const registry = new SagaRegistry();
  const { lifecycleEvents, retentionMs = DEFAULT_RETENTION_MS } = options;
  const store = new RedisSagaStore(redis, prefix, { lifecycleEvents, retentionMs });
  const queues = new SagaQueues(redis, store.keys);
  const dispatcher = new StepDispatcher(queues, retentionMs);
  const inbox = new EventInbox(registry, store, dispatcher, redis, options.eventRetentionMs ?? 86_400_000);
  const client = new SagaClient(registry, store, dispatcher, inbox, queues, options);
  const children = new ChildSagas(registry, store, dispatcher, client);
  return { registry, store, queues, dispatcher, inbox, client, children };
}
