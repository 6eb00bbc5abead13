import type { PublishResult, SagaRecord } from '@sagaflow/core';
import type { SagaflowSystem } from '../support/apps';
import { waitFor } from '../support/wait-for';

/** What `POST /demo/shipments/:orderId/deliver` answers on a 200. */
export interface DeliveredShipment {
  shipmentId: string;
  status: string;
  trackingNumber: string;
  items: { sku: string; quantity: number }[];
  deliveredAt: string;
  event: PublishResult;
}

/** A checkout has nothing more to do by itself: it ended, or it waits (for its delivery). */
export const SETTLED = ['completed', 'compensated', 'compensation_failed', 'waiting'];

/** Plays the carrier: marks the order's parcel delivered, which publishes `shipment.delivered`. */
export function deliver(system: SagaflowSystem, orderId: string) {
  return system.request<DeliveredShipment>('POST', `/demo/shipments/${orderId}/deliver`);
}

/**
 * Waits until the checkout has shipped and waits for its delivery, delivers it, and waits until the checkout
 * ends; a checkout that ends without shipping (it compensated) is answered as it is, with nothing delivered.
 */
export async function deliverAndSettle(
  system: SagaflowSystem,
  sagaId: string,
  { timeoutMs = 20_000 } = {},
): Promise<SagaRecord> {
  const read = async () => (await system.request<SagaRecord>('GET', `/sagas/${sagaId}`)).body;
  const settled = await waitFor(read, (saga) => SETTLED.includes(saga.status), { timeoutMs });
  if (settled.status !== 'waiting') return settled;
  const orderId = (settled.input as { orderId: string }).orderId;
  const delivered = await deliver(system, orderId);
  if (delivered.status !== 200) {
    throw new Error(`Delivering order ${orderId} answered ${delivered.status}: ${JSON.stringify(delivered.body)}`);
  }
  return waitFor(read, (saga) => saga.status !== 'waiting' && SETTLED.includes(saga.status), { timeoutMs });
}
