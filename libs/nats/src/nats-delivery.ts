/**
 * Pure decisions about one JetStream message: its fallback event id, how long to wait before it comes back, when a
 * delivery is its last, and what a dead-letter copy says about it.
 */

/** Where a message sits in its stream: the same on every redelivery of that stored message. */
export interface StreamPosition {
  stream: string;
  /** When the stream was created, ms since the epoch: tells a recreated stream, whose sequences start again, apart. */
  streamCreatedMs: number;
  sequence: number;
}

/** The header a publisher sets to have JetStream drop a repeat of the message (and, here, to name the event). */
export const MSG_ID_HEADER = 'Nats-Msg-Id';
/** Header names of a dead-letter copy. @publicApi */
export const NatsDeadLetterHeaders = {
  reason: 'Sagaflow-Dead-Letter-Reason',
  subject: 'Sagaflow-Original-Subject',
  stream: 'Sagaflow-Original-Stream',
  sequence: 'Sagaflow-Original-Sequence',
  deliveries: 'Sagaflow-Deliveries',
} as const;

/** A header value holds one line; a longer reason is cut, as a header is no place for a whole payload. */
const HEADER_VALUE_MAX = 1_024;

/**
 * The event id of a message whose body carries none: the publisher's `Nats-Msg-Id` when it set one (so the same
 * event published twice, even after JetStream's duplicate window, is one event), else the message's place in the
 * stream, `nats-<stream>-<created>-<sequence>`. The sequence is fixed when the message is stored, so every
 * redelivery of it gets the same id and finds the event already recorded. The stream's creation time keeps a
 * stream deleted and created again (its sequences restart at 1) from reusing the ids of the old one.
 */
export function natsFallbackEventId(msgId: string | undefined, position: StreamPosition): string {
  if (msgId !== undefined && msgId.length > 0) return msgId;
  const stream = position.stream.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
  return `nats-${stream}-${position.streamCreatedMs}-${position.sequence}`;
}

/** The id of a message's dead-letter copy: JetStream drops a second copy of it (a crash between copy and `term`). */
export function deadLetterMsgId(position: StreamPosition): string {
  return `dead-letter-${natsFallbackEventId(undefined, position)}`;
}

/** How long a message that was not recorded waits before its next delivery: doubling from `baseMs`, up to `maxMs`. */
export function redeliveryDelayMs(deliveryCount: number, { baseMs, maxMs }: { baseMs: number; maxMs: number }): number {
  const exponent = Math.min(Math.max(deliveryCount - 1, 0), 30);
  return Math.min(baseMs * 2 ** exponent, maxMs);
}

/** Whether this delivery is the last the consumer makes (`maxDeliver` -1: no limit). */
export function isLastDelivery(deliveryCount: number, maxDeliver: number): boolean {
  return maxDeliver > 0 && deliveryCount >= maxDeliver;
}

/**
 * Whether the server takes a reason with `term` (`+TERM <reason>`, nats-server 2.10.4 and later). An older one does
 * not know that form, does not take it as a `term`, and so redelivers the message: it gets a bare `term`.
 */
export function supportsTermReason(serverVersion: string | undefined): boolean {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(serverVersion ?? '');
  if (!match) return false;
  const [major, minor, patch] = match.slice(1).map(Number);
  if (major !== 2) return major > 2;
  return minor > 10 || (minor === 10 && patch >= 4);
}

/** A reason as a header value: one line, at most {@link HEADER_VALUE_MAX} characters. */
export function headerValue(text: string): string {
  const line = text.replace(/[\r\n]+/g, ' ').trim();
  return line.length > HEADER_VALUE_MAX ? `${line.slice(0, HEADER_VALUE_MAX - 1)}…` : line;
}

/** What a dead-letter copy says of the message it copies, besides the message's own headers. */
export function deadLetterHeaders(
  reason: string,
  message: { subject: string; deliveryCount: number; position: StreamPosition },
): Record<string, string> {
  return {
    [NatsDeadLetterHeaders.reason]: headerValue(reason),
    [NatsDeadLetterHeaders.subject]: message.subject,
    [NatsDeadLetterHeaders.stream]: message.position.stream,
    [NatsDeadLetterHeaders.sequence]: String(message.position.sequence),
    [NatsDeadLetterHeaders.deliveries]: String(message.deliveryCount),
  };
}
