import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  nanos,
  type ConsumerConfig,
  type ConsumerInfo,
  type JetStreamManager,
  type StreamConfig,
  type StreamInfo,
} from './nats-client';
import { coveredByAny } from './nats-subjects';

/** JetStream's answer to creating a stream whose name is taken (by another worker starting at the same time). */
const STREAM_NAME_IN_USE = 10058;

/** What a stream must capture; the rest of its configuration is applied only when it is created. */
export interface StreamWanted {
  name: string;
  subjects: string[];
  /** Applied at creation only. */
  create?: Partial<StreamConfig>;
}

function isApiError(error: unknown, code: number): boolean {
  return error instanceof JetStreamApiError && error.code === code;
}

/**
 * Makes sure the stream exists and captures every subject wanted: creates it, or adds the subjects an existing
 * one lacks (its other settings are the operator's and are left alone). Safe to run from several processes at once.
 */
export async function ensureStream(jsm: JetStreamManager, wanted: StreamWanted): Promise<StreamInfo> {
  let info: StreamInfo;
  try {
    info = await jsm.streams.info(wanted.name);
  } catch (error) {
    if (!isApiError(error, JetStreamApiCodes.StreamNotFound)) throw error;
    try {
      return await jsm.streams.add({ ...wanted.create, name: wanted.name, subjects: wanted.subjects });
    } catch (addError) {
      if (!isApiError(addError, STREAM_NAME_IN_USE)) throw addError;
      info = await jsm.streams.info(wanted.name);
    }
  }
  const captured = info.config.subjects ?? [];
  const missing = wanted.subjects.filter((subject) => !coveredByAny(captured, subject));
  if (missing.length === 0) return info;
  return jsm.streams.update(wanted.name, { ...info.config, subjects: [...captured, ...missing] });
}

/** The durable pull consumer a source reads with. */
export interface ConsumerWanted {
  stream: StreamInfo;
  durable: string;
  subjects: string[];
  ackWaitMs: number;
  maxDeliver: number;
}

/**
 * The subjects the consumer filters on: none when the stream captures nothing else (a filter would only cost the
 * server work, and a single filter is all nats-server before 2.10 takes), else exactly the source's subjects.
 */
export function consumerFilter(streamSubjects: readonly string[], subjects: readonly string[]): string[] {
  return streamSubjects.every((captured) => coveredByAny(subjects, captured)) ? [] : [...subjects];
}

function filterConfig(filter: readonly string[]): Pick<ConsumerConfig, 'filter_subject' | 'filter_subjects'> {
  if (filter.length === 0) return {};
  return filter.length === 1 ? { filter_subject: filter[0] } : { filter_subjects: [...filter] };
}

function currentFilter(config: ConsumerConfig): string[] {
  if (config.filter_subjects?.length) return config.filter_subjects;
  return config.filter_subject ? [config.filter_subject] : [];
}

/**
 * Makes sure the durable pull consumer exists with explicit acks, and brings its ack wait, delivery limit and filter
 * to the options (the server lets these change on a live consumer). Refuses a push consumer or one without
 * explicit acks under that name: acking only what is recorded needs both.
 */
export async function ensureConsumer(jsm: JetStreamManager, wanted: ConsumerWanted): Promise<ConsumerInfo> {
  const stream = wanted.stream.config.name;
  const filter = consumerFilter(wanted.stream.config.subjects ?? [], wanted.subjects);
  const settings = { ack_wait: nanos(wanted.ackWaitMs), max_deliver: wanted.maxDeliver };
  let info: ConsumerInfo;
  try {
    info = await jsm.consumers.info(stream, wanted.durable);
  } catch (error) {
    if (!isApiError(error, JetStreamApiCodes.ConsumerNotFound)) throw error;
    return jsm.consumers.add(stream, {
      durable_name: wanted.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ...settings,
      ...filterConfig(filter),
    });
  }
  const { config } = info;
  if (config.deliver_subject || config.ack_policy !== AckPolicy.Explicit) {
    throw new Error(
      `The JetStream consumer "${wanted.durable}" on stream "${stream}" is not a pull consumer with explicit acks. ` +
        'Delete it, or name another durable consumer in the options.',
    );
  }
  const sameFilter = currentFilter(config).join(' ') === filter.join(' ');
  if (config.ack_wait === settings.ack_wait && config.max_deliver === settings.max_deliver && sameFilter) return info;
  return jsm.consumers.update(stream, wanted.durable, { ...settings, ...filterConfig(filter) });
}
