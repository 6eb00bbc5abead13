import { EventInvalidError, type SagaLogger, refusalReason, type EventHandler } from '@sagaflow/core';
import { isLastDelivery } from './nats-delivery';

/** The part of a JetStream message that settling it uses. */
export interface SettleableMessage {
  readonly info: { readonly deliveryCount: number };
  /** Its headers, where a W3C trace context rides (absent on a message published without any). */
  readonly headers?: { get(name: string): string };
  string(): string;
  ack(): void;
  nak(millis?: number): void;
  term(reason?: string): void;
}

/** What settling a message needs besides the message. */
export interface SettleContext<M extends SettleableMessage> {
  handle: EventHandler;
  /** The event id of a body that carries none. */
  fallbackId(message: M): string;
  /** Publishes a copy of the message, with the reason, where dead letters are kept; resolves once it is stored. */
  deadLetter(message: M, reason: string): Promise<void>;
  /** The wait before the next delivery of a message that was not recorded. */
  retryDelayMs(deliveryCount: number): number;
  maxDeliver: number;
  /** Whether `term` may carry the reason (the server knows `+TERM <reason>`). */
  termWithReason: boolean;
  logger: SagaLogger;
}

/**
 * How a message was settled: `acked` (the event is recorded), `dead-lettered` (copied with its reason, then
 * terminated), `retried` (nak'ed with a delay: it comes back), `ack-lost` (recorded, but the ack could not be sent,
 * so it comes back after the ack wait and is found recorded).
 */
export type Settlement = 'acked' | 'dead-lettered' | 'retried' | 'ack-lost';

/**
 * Hands one message to the engine and settles it with the broker. Acknowledged only once `handle` resolved (the
 * event is durably recorded), never before: a crash in between redelivers it, and its event id makes that harmless.
 * A body that is not a valid event is dead-lettered and terminated, so it neither comes back nor holds up the
 * messages after it; any other failure is retried later, and dead-lettered with the error on the last delivery.
 */
export async function settleNatsMessage<M extends SettleableMessage>(
  message: M,
  context: SettleContext<M>,
): Promise<Settlement> {
  const deliveries = message.info.deliveryCount;
  try {
    await context.handle(
      message.string(),
      context.fallbackId(message),
      (name) => message.headers?.get(name) || undefined,
    );
  } catch (error) {
    if (error instanceof EventInvalidError) return deadLetter(message, refusalReason(error), context);
    const reason = error instanceof Error ? error.message : String(error);
    if (isLastDelivery(deliveries, context.maxDeliver)) {
      return deadLetter(message, `Not recorded after ${deliveries} deliveries: ${reason}`, context);
    }
    const delay = context.retryDelayMs(deliveries);
    context.logger.warn(`Event message not recorded, delivered again in ${delay} ms: ${reason}`, { deliveries });
    return settle(message, (m) => m.nak(delay), 'retried', context);
  }
  return settle(message, (m) => m.ack(), 'acked', context);
}

async function deadLetter<M extends SettleableMessage>(
  message: M,
  reason: string,
  context: SettleContext<M>,
): Promise<Settlement> {
  try {
    await context.deadLetter(message, reason);
  } catch (error) {
    // Not terminated without its copy: it comes back, and is dead-lettered then (the copy's id drops a repeat).
    const delay = context.retryDelayMs(message.info.deliveryCount);
    context.logger.error(`Could not dead-letter an event message (${reason}): ${(error as Error).message}`);
    return settle(message, (m) => m.nak(delay), 'retried', context);
  }
  context.logger.warn(`Dead-lettered an event message: ${reason}`);
  return settle(message, (m) => (context.termWithReason ? m.term(reason) : m.term()), 'dead-lettered', context);
}

/** Sends the ack, nak or term; a connection closed meanwhile loses it, which redelivery makes up for. */
function settle<M extends SettleableMessage>(
  message: M,
  send: (message: M) => void,
  outcome: Settlement,
  context: SettleContext<M>,
): Settlement {
  try {
    send(message);
    return outcome;
  } catch (error) {
    context.logger.warn(
      `Could not settle an event message (${outcome}); it will be delivered again: ${(error as Error).message}`,
    );
    return outcome === 'acked' ? 'ack-lost' : 'retried';
  }
}
