import type { ConfigService } from '@nestjs/config';
import {
  isClusterUrl,
  parseHostList,
  RedisStreamEventSink,
  RedisStreamEventSource,
  type EventSink,
  type Retention,
  type EventSource,
} from '@sagaflow/core';
import { NatsEventSink, NatsEventSource } from '@sagaflow/nats';
import {
  DEFAULT_SENTINEL_NAME,
  redisClusterUrl,
  redisSentinelUrl,
  type BrokerFactory,
  type SagaModuleOptions,
  type SagaWorkerModuleOptions,
} from '@sagaflow/nestjs';
import { RabbitMqEventSink, RabbitMqEventSource } from '@sagaflow/rabbitmq';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { perPool, positiveInteger, rate } from './pool-settings';

/** The brokers of `SAGAFLOW_SOURCES` and `SAGAFLOW_SINKS`. */
const BROKERS = ['redis-stream', 'rabbitmq', 'nats'] as const;
const BROKER_LIST = new RegExp(`^((${BROKERS.join('|')})(,(${BROKERS.join('|')}))*)?$`);
/** `host:port` (IPv6 in brackets), comma separated, or nothing. */
const ADDRESS = String.raw`\s*(\[[0-9A-Fa-f:.]+\]|[^\s:,[\]]+):\d{1,5}\s*`;
const ADDRESS_LIST = new RegExp(`^(${ADDRESS}(,${ADDRESS})*)?$`);

/**
 * The environment every sagaflow process reads; apps extend it with their own variables and check it with
 * {@link validateEnvironment}. Types are spelled out: class-transformer converts the strings by declared type.
 * @publicApi
 */
export class SagaEnvironment {
  /**
   * `redis://[user:password@]host:port[/db]`, `rediss://` for TLS, or
   * `redis-cluster://[user:password@]host:port[,host:port…]` for a Redis Cluster. With `SAGAFLOW_REDIS_SENTINELS`
   * or `SAGAFLOW_REDIS_CLUSTER_NODES`, only its user, password and db count: those name the hosts.
   */
  @IsString()
  @Matches(/^(rediss?|redis-cluster):\/\//, {
    message: 'REDIS_URL must start with redis://, rediss:// or redis-cluster://',
  })
  REDIS_URL: string = 'redis://127.0.0.1:6379';

  /**
   * Nodes of a Redis Cluster to discover it from, `host:port` comma separated (a few are enough: the others are
   * learnt from them); empty: connect to `REDIS_URL`.
   */
  @Matches(ADDRESS_LIST, {
    message:
      'SAGAFLOW_REDIS_CLUSTER_NODES must be host:port pairs separated by commas, e.g. 10.0.0.1:6379,10.0.0.2:6379',
  })
  SAGAFLOW_REDIS_CLUSTER_NODES: string = '';

  /** Sentinels to find the Redis master through, `host:port` comma separated; empty: connect to `REDIS_URL`. */
  @Matches(ADDRESS_LIST, {
    message: 'SAGAFLOW_REDIS_SENTINELS must be host:port pairs separated by commas, e.g. 10.0.0.1:26379,10.0.0.2:26379',
  })
  SAGAFLOW_REDIS_SENTINELS: string = '';

  /** The master group name the sentinels monitor (`sentinel monitor <name> …`). */
  @Matches(/^[A-Za-z0-9._-]+$/, { message: 'SAGAFLOW_REDIS_SENTINEL_NAME must be letters, digits, ., _ or -' })
  SAGAFLOW_REDIS_SENTINEL_NAME: string = DEFAULT_SENTINEL_NAME;

  /** Password of the sentinels themselves (`requirepass` in sentinel.conf); the master's comes from `REDIS_URL`. */
  @IsOptional()
  @IsString()
  SAGAFLOW_REDIS_SENTINEL_PASSWORD?: string;

  /** Prefix of every key, queues included. */
  @Matches(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, { message: 'SAGAFLOW_PREFIX must be letters, digits, _ or -' })
  SAGAFLOW_PREFIX: string = 'sagaflow';

  /**
   * Shards the sagas are spread over (each a slot on a Redis Cluster); the same in every process, and fixed while
   * sagas are kept.
   */
  @IsInt()
  @Min(1)
  @Max(1024)
  SAGAFLOW_SHARDS: number = 1;

  /** Step jobs run at once by a worker process, per saga. */
  @IsInt()
  @Min(1)
  @Max(1_000)
  WORKER_CONCURRENCY: number = 10;

  /** How long a worker's claim on a step lasts; a dead worker's steps are redelivered within about twice it. */
  @IsInt()
  @Min(1_000)
  SAGAFLOW_LOCK_DURATION_MS: number = 30_000;

  /** How often a worker looks for sagas that no job moves (see SagaSweeper). */
  @IsInt()
  @Min(100)
  SAGAFLOW_SWEEP_INTERVAL_MS: number = 15_000;

  /** How long a saga may go without a transition before the sweeper checks its job. */
  @IsInt()
  @Min(100)
  SAGAFLOW_STUCK_AFTER_MS: number = 30_000;

  /** Worker pools this worker serves, comma separated (`default` for the steps that name none); all by default. */
  @Matches(/^([A-Za-z][A-Za-z0-9_-]{0,63}(,[A-Za-z][A-Za-z0-9_-]{0,63})*)?$/, {
    message: 'SAGAFLOW_POOLS must list pool names, comma separated',
  })
  SAGAFLOW_POOLS: string = '';

  /** Concurrency per named pool, such as `payments=5`; WORKER_CONCURRENCY for the others. */
  @IsString()
  SAGAFLOW_POOL_CONCURRENCY: string = '';

  /** Rate limit per named pool, across all workers, such as `payments=100/1s` (periods in ms, s or m). */
  @IsString()
  SAGAFLOW_POOL_RATE_LIMIT: string = '';

  /** How long an `Idempotency-Key` of a start is kept. */
  @IsInt()
  @Min(1_000)
  SAGAFLOW_IDEMPOTENCY_TTL_MS: number = 86_400_000;

  /**
   * How long an ended saga (completed or compensated) is kept, with its history, index entries and idempotency
   * record, before the workers remove it: a duration (`7d`, `12h`, `30m`) or `forever`. A definition's own
   * `retention` wins; a saga parked as compensation_failed is kept until resolved.
   */
  @Matches(/^(forever|(?=[^1-9]*[1-9])\d+(\.\d+)?(ms|s|m|h|d))$/, {
    message: 'SAGAFLOW_RETENTION must be a positive duration with a unit (such as 7d, 12h, 30m) or forever',
  })
  SAGAFLOW_RETENTION: string = '7d';

  /** How often a worker removes the ended sagas past their retention (one worker at a time). */
  @IsInt()
  @Min(100)
  SAGAFLOW_REAP_INTERVAL_MS: number = 60_000;

  /** How long a published event is kept for sagas that reach their wait later, and against a repeated publish. */
  @IsInt()
  @Min(1_000)
  SAGAFLOW_EVENT_RETENTION_MS: number = 86_400_000;

  /** `false` stops writing lifecycle events (no sinks, no live updates): one XADD less per event. */
  @IsIn(['true', 'false'], { message: 'SAGAFLOW_LIFECYCLE_EVENTS must be true or false' })
  SAGAFLOW_LIFECYCLE_EVENTS: string = 'true';

  /** Brokers the workers consume events from, comma separated: redis-stream, rabbitmq, nats. */
  @Matches(BROKER_LIST, { message: `SAGAFLOW_SOURCES must list brokers among ${BROKERS.join(', ')}` })
  SAGAFLOW_SOURCES: string = '';

  /** Brokers the lifecycle events are published to, comma separated: redis-stream, rabbitmq, nats. */
  @Matches(BROKER_LIST, { message: `SAGAFLOW_SINKS must list brokers among ${BROKERS.join(', ')}` })
  SAGAFLOW_SINKS: string = '';

  /** The stream the redis-stream source reads (entries with a field `event`); default `<prefix>:events-in`. */
  @IsOptional()
  @IsString()
  SAGAFLOW_REDIS_SOURCE_STREAM?: string;

  /** The stream the redis-stream sink writes; default `<prefix>:lifecycle-out`. */
  @IsOptional()
  @IsString()
  SAGAFLOW_REDIS_SINK_STREAM?: string;

  /** RabbitMQ of the rabbitmq source and sink. */
  @Matches(/^amqps?:\/\//, { message: 'SAGAFLOW_RABBITMQ_URL must start with amqp:// or amqps://' })
  SAGAFLOW_RABBITMQ_URL: string = 'amqp://guest:guest@127.0.0.1:5672';

  /** The topic exchange the rabbitmq source's queue is bound to. */
  @IsString()
  SAGAFLOW_RABBITMQ_EXCHANGE: string = 'sagaflow.events';

  /** The durable queue the workers share; refused messages go to `<queue>.dlq` with the reason. */
  @IsString()
  SAGAFLOW_RABBITMQ_QUEUE: string = 'sagaflow.events';

  /** Routing keys the queue is bound with, comma separated. */
  @IsString()
  SAGAFLOW_RABBITMQ_ROUTING_KEYS: string = '#';

  /** The topic exchange the rabbitmq sink publishes lifecycle events to (routing key: the event type). */
  @IsString()
  SAGAFLOW_RABBITMQ_SINK_EXCHANGE: string = 'sagaflow.lifecycle';

  /** NATS servers of the nats source and sink, comma separated. */
  @IsString()
  SAGAFLOW_NATS_URL: string = 'nats://127.0.0.1:4222';

  /** The JetStream stream the nats source consumes (created with the subjects when missing). */
  @IsString()
  SAGAFLOW_NATS_STREAM: string = 'SAGAFLOW_EVENTS';

  /** Subjects of that stream, comma separated. */
  @IsString()
  SAGAFLOW_NATS_SUBJECTS: string = 'sagaflow.events.>';

  /** The durable consumer the workers share. */
  @IsString()
  SAGAFLOW_NATS_DURABLE: string = 'sagaflow-engine';

  /** Where refused messages go, with the reason in a header (captured by a stream of its own). */
  @IsString()
  SAGAFLOW_NATS_DEAD_LETTER_SUBJECT: string = 'sagaflow.dead-letter.events';

  /** The JetStream stream the nats sink publishes lifecycle events to. */
  @IsString()
  SAGAFLOW_NATS_SINK_STREAM: string = 'SAGAFLOW_LIFECYCLE';

  /** Lifecycle events are published to `<prefix>.<type>`, e.g. `sagaflow.lifecycle.saga.completed`. */
  @IsString()
  SAGAFLOW_NATS_SINK_SUBJECT_PREFIX: string = 'sagaflow.lifecycle';

  /** Crash tests only: the worker kills itself at this `saga/step/phase/moment` (see `@sagaflow/testing`). */
  @IsOptional()
  @Matches(/^[^/]+\/[^/]+\/(run|compensate)\/(begun|ran|recorded)$/, {
    message: 'SAGAFLOW_CRASH_AT must be saga/step/(run|compensate)/(begun|ran|recorded)',
  })
  SAGAFLOW_CRASH_AT?: string;

  /** `production` refuses `SAGAFLOW_CRASH_AT`, which would be sabotage there, and makes the API's keys mandatory. */
  @IsOptional()
  @IsString()
  NODE_ENV?: string;
}

/** The options of `SagaModule.forRoot` that a validated environment describes. @publicApi */
export function sagaOptionsFrom(config: ConfigService<SagaEnvironment, true>): SagaModuleOptions {
  return {
    redisUrl: redisUrlFrom(config),
    prefix: config.get('SAGAFLOW_PREFIX'),
    shards: config.get('SAGAFLOW_SHARDS'),
    idempotencyTtlMs: config.get('SAGAFLOW_IDEMPOTENCY_TTL_MS'),
    eventRetentionMs: config.get('SAGAFLOW_EVENT_RETENTION_MS'),
    lifecycleEvents: config.get('SAGAFLOW_LIFECYCLE_EVENTS') === 'true',
    retention: config.get('SAGAFLOW_RETENTION', { infer: true }) as Retention,
  };
}

/**
 * `REDIS_URL` as it is; with `SAGAFLOW_REDIS_CLUSTER_NODES`, a `redis-cluster://` URL carrying the nodes and the
 * user and password of `REDIS_URL`; with `SAGAFLOW_REDIS_SENTINELS`, a `redis-sentinel://` URL carrying the
 * sentinels, the master group name, and the user, password and db of `REDIS_URL`.
 * @throws when both are set, or either is set and `REDIS_URL` asks for TLS, which sagaflow does not set up
 * through them yet
 */
function redisUrlFrom(config: ConfigService<SagaEnvironment, true>): string {
  const redisUrl = config.get('REDIS_URL', { infer: true });
  const sentinels = parseHostList(config.get('SAGAFLOW_REDIS_SENTINELS', { infer: true }));
  const clusterNodes = parseHostList(config.get('SAGAFLOW_REDIS_CLUSTER_NODES', { infer: true }));
  if (sentinels.length === 0 && clusterNodes.length === 0) return redisUrl;
  const setting = sentinels.length > 0 ? 'SAGAFLOW_REDIS_SENTINELS' : 'SAGAFLOW_REDIS_CLUSTER_NODES';
  if (sentinels.length > 0 && clusterNodes.length > 0) {
    throw new Error(
      'Set SAGAFLOW_REDIS_SENTINELS or SAGAFLOW_REDIS_CLUSTER_NODES, not both: a Redis Cluster fails over by itself. ' +
        'Check your configuration.',
    );
  }
  if (isClusterUrl(redisUrl)) {
    throw new Error(`${setting} names the hosts: REDIS_URL must then be a redis:// URL. Check your configuration.`);
  }
  const url = new URL(redisUrl);
  if (url.protocol === 'rediss:') {
    throw new Error(
      `${setting} does not support TLS yet: REDIS_URL must start with redis:// when it is set. ` +
        'Check your configuration.',
    );
  }
  const login = {
    username: decodeURIComponent(url.username) || undefined,
    password: decodeURIComponent(url.password) || undefined,
  };
  if (clusterNodes.length > 0) return redisClusterUrl({ nodes: clusterNodes, ...login });
  return redisSentinelUrl({
    sentinels,
    name: config.get('SAGAFLOW_REDIS_SENTINEL_NAME', { infer: true }),
    ...login,
    db: Number(url.pathname.slice(1)) || 0,
    sentinelPassword: config.get('SAGAFLOW_REDIS_SENTINEL_PASSWORD', { infer: true }),
  });
}

/** The options of `SagaWorkerModule.forRoot` that a validated environment describes. @publicApi */
export function workerOptionsFrom(config: ConfigService<SagaEnvironment, true>): SagaWorkerModuleOptions {
  return {
    concurrency: config.get('WORKER_CONCURRENCY'),
    lockDurationMs: config.get('SAGAFLOW_LOCK_DURATION_MS'),
    ...(config.get('SAGAFLOW_POOLS', { infer: true }) && {
      pools: config.get('SAGAFLOW_POOLS', { infer: true }).split(','),
    }),
    poolConcurrency: perPool(
      'SAGAFLOW_POOL_CONCURRENCY',
      config.get('SAGAFLOW_POOL_CONCURRENCY', { infer: true }),
      positiveInteger,
    ),
    poolRateLimits: perPool('SAGAFLOW_POOL_RATE_LIMIT', config.get('SAGAFLOW_POOL_RATE_LIMIT', { infer: true }), rate),
    crashAt: crashPointFrom(config),
    ...brokersFrom(config),
    sweeper: {
      intervalMs: config.get('SAGAFLOW_SWEEP_INTERVAL_MS'),
      stuckAfterMs: config.get('SAGAFLOW_STUCK_AFTER_MS'),
    },
    reaper: { intervalMs: config.get('SAGAFLOW_REAP_INTERVAL_MS') },
  };
}

function crashPointFrom(config: ConfigService<SagaEnvironment, true>): string | undefined {
  const crashAt = config.get('SAGAFLOW_CRASH_AT', { infer: true });
  if (crashAt && config.get('NODE_ENV', { infer: true }) === 'production') {
    throw new Error('SAGAFLOW_CRASH_AT is for crash tests and is refused with NODE_ENV=production.');
  }
  return crashAt;
}

/** The event sources and sinks the environment names, with their settings. @publicApi */
export function brokersFrom(
  config: ConfigService<SagaEnvironment, true>,
): Pick<SagaWorkerModuleOptions, 'sources' | 'sinks'> {
  const list = (name: 'SAGAFLOW_SOURCES' | 'SAGAFLOW_SINKS'): string[] =>
    config.get(name, { infer: true }).split(',').filter(Boolean);
  const rabbitUrl = config.get('SAGAFLOW_RABBITMQ_URL', { infer: true });
  const natsServers = config.get('SAGAFLOW_NATS_URL', { infer: true }).split(',');
  const sources: Record<string, BrokerFactory<EventSource>> = {
    'redis-stream': ({ redis, prefix, logger }) =>
      new RedisStreamEventSource(redis(), logger(RedisStreamEventSource.name), {
        stream: config.get('SAGAFLOW_REDIS_SOURCE_STREAM', { infer: true }) ?? `${prefix}:events-in`,
      }),
    rabbitmq: ({ logger }) =>
      new RabbitMqEventSource(
        {
          url: rabbitUrl,
          exchange: config.get('SAGAFLOW_RABBITMQ_EXCHANGE', { infer: true }),
          queue: config.get('SAGAFLOW_RABBITMQ_QUEUE', { infer: true }),
          routingKeys: config.get('SAGAFLOW_RABBITMQ_ROUTING_KEYS', { infer: true }).split(','),
        },
        logger(RabbitMqEventSource.name),
      ),
    nats: ({ logger }) =>
      new NatsEventSource({
        servers: natsServers,
        stream: config.get('SAGAFLOW_NATS_STREAM', { infer: true }),
        subjects: config.get('SAGAFLOW_NATS_SUBJECTS', { infer: true }).split(','),
        durable: config.get('SAGAFLOW_NATS_DURABLE', { infer: true }),
        deadLetterSubject: config.get('SAGAFLOW_NATS_DEAD_LETTER_SUBJECT', { infer: true }),
        logger: logger(NatsEventSource.name),
      }),
  };
  const sinks: Record<string, BrokerFactory<EventSink>> = {
    'redis-stream': ({ redis, prefix }) =>
      new RedisStreamEventSink(redis(), {
        stream: config.get('SAGAFLOW_REDIS_SINK_STREAM', { infer: true }) ?? `${prefix}:lifecycle-out`,
      }),
    rabbitmq: ({ logger }) =>
      new RabbitMqEventSink(
        { url: rabbitUrl, exchange: config.get('SAGAFLOW_RABBITMQ_SINK_EXCHANGE', { infer: true }) },
        logger(RabbitMqEventSink.name),
      ),
    nats: ({ logger }) =>
      new NatsEventSink({
        servers: natsServers,
        stream: config.get('SAGAFLOW_NATS_SINK_STREAM', { infer: true }),
        subjectPrefix: config.get('SAGAFLOW_NATS_SINK_SUBJECT_PREFIX', { infer: true }),
        logger: logger(NatsEventSink.name),
      }),
  };
  return {
    sources: list('SAGAFLOW_SOURCES').map((name) => sources[name]),
    sinks: list('SAGAFLOW_SINKS').map((name) => sinks[name]),
  };
}
