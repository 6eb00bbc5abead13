// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- a declaration file, which import cannot name
/// <reference path="./nats-core-internal.d.ts" />
/**
 * The one place the broker code imports the NATS client from (the v3 line), so that the declaration above is in
 * every compilation that uses it, whatever its file list.
 */
export {
  connect,
  headers,
  nanos,
  type MsgHdrs,
  type NatsConnection,
  type ConnectionOptions,
} from '@nats-io/transport-node';
export {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
  type ConsumerConfig,
  type ConsumerInfo,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type StreamConfig,
  type StreamInfo,
} from '@nats-io/jetstream';
