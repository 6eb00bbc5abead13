jest.mock('@nestjs/common', () => jest.requireActual('./fixtures/nest-common.stub'));

import { randomUUID } from 'node:crypto';
import {
  assertNoViolations,
  crashTest,
  formatCrashTestReport,
  type CrashTestReport,
  type CrashTestRun,
  type Invariant,
  type WaitingSaga,
} from '@sagaflow/testing';
// The gateways' and the definition's own files, not the package index: the index also exports the Nest module.
import { checkoutSaga } from '../../libs/samples/src/checkout/checkout.saga';
import { shipmentDeliveredEvent } from '../../libs/samples/src/checkout/events/shipment-delivered.event';
import { DEMO_STOCK } from '../../libs/samples/src/checkout/gateways/demo-stock';
import { DemoKeys } from '../../libs/samples/src/checkout/gateways/demo-keys';
import { InventoryGateway } from '../../libs/samples/src/checkout/gateways/inventory.gateway';
import { PaymentGateway } from '../../libs/samples/src/checkout/gateways/payment.gateway';
import { ShippingGateway } from '../../libs/samples/src/checkout/gateways/shipping.gateway';
import { TEST_CARDS } from '../../libs/samples/src/checkout/gateways/test-cards';
import type { CheckoutInput } from '../../libs/samples/src/checkout/input/checkout.input';
import { REDIS_URL, uniquePrefix } from '../support/redis';
import { sampleWorker } from './sample-worker';

const ITEMS = [
  { sku: 'SKU-MUG', quantity: 2, priceCents: 1_250 },
  { sku: 'SKU-COFFEE', quantity: 1, priceCents: 1_800 },
];
const TOTAL_CENTS = 4_300;

/** Stocks the demo SKUs under the run's prefix, so that the invariants know every figure before the order. */
function orderTo(country: 'PT' | 'AQ') {
  return async ({ redis, prefix }: CrashTestRun): Promise<CheckoutInput> => {
    await new InventoryGateway(redis, prefix).seed();
    return {
      orderId: `order-${randomUUID().slice(0, 8)}`,
      customerId: 'customer-1',
      items: ITEMS,
      payment: { cardNumber: TEST_CARDS.ok },
      shippingAddress: { line1: '1 Rua Augusta', city: 'Lisbon', country },
    };
  };
}

/** Plays the carrier: the parcel is delivered, and `shipment.delivered` ends the saga's wait. */
async function deliver({ redis, prefix, input, publish }: WaitingSaga<CheckoutInput>): Promise<void> {
  const shipment = await new ShippingGateway(redis, prefix, new InventoryGateway(redis, prefix)).markDelivered(
    input.orderId,
  );
  if (!shipment?.deliveredAt) throw new Error(`order ${input.orderId} has no shipment to deliver`);
  await publish(
    shipmentDeliveredEvent({
      orderId: input.orderId,
      shipmentId: shipment.shipmentId,
      deliveredAt: shipment.deliveredAt,
    }),
  );
}

/**
 * Stock: each unit ordered moved once from available to shipped when the order completed, all of it available
 * again when it compensated. Payment: captured once (one charge, under the step's key) or refunded once.
 */
const orderInvariants: Invariant<CheckoutInput> = async ({ redis, prefix, sagaId, input, record }) => {
  const inventory = new InventoryGateway(redis, prefix);
  const keys = new DemoKeys(prefix);
  const completed = record.status === 'completed';
  for (const [sku, units] of Object.entries(DEMO_STOCK)) {
    const ordered = ITEMS.find((item) => item.sku === sku)?.quantity ?? 0;
    const moved = completed ? ordered : 0;
    expect(await inventory.getSku(sku)).toEqual({ sku, available: units - moved, reserved: 0, shipped: moved });
  }
  expect(await redis.hget(keys.reservation(input.orderId), 'status')).toBe(completed ? 'shipped' : 'released');

  const payment = await redis.hgetall(keys.payment(input.orderId));
  expect(await new PaymentGateway(redis, prefix).getPayment(input.orderId)).toEqual({
    status: completed ? 'captured' : 'refunded',
    amountCents: TOTAL_CENTS,
  });
  const charged = record.steps.find((step) => step.name === 'chargePayment')?.output as { chargeId: string };
  expect({ chargeId: payment.chargeId, key: payment.chargeIdempotencyKey }).toEqual({
    chargeId: charged.chargeId,
    key: `${sagaId}:chargePayment:run`,
  });
  if (!completed) expect(payment.refundIdempotencyKey).toBe(`${sagaId}:chargePayment:compensate`);

  const shipment = await new ShippingGateway(redis, prefix, inventory).getShipment(input.orderId);
  expect(shipment?.status).toBe(completed ? 'delivered' : undefined);
};

describe('crash-testing the checkout saga with the built worker', () => {
  let report: CrashTestReport;

  beforeAll(async () => {
    report = await crashTest({
      saga: checkoutSaga,
      worker: sampleWorker(),
      redisUrl: REDIS_URL,
      prefix: uniquePrefix(),
      // A replacement worker boots in seconds on a quiet machine, in 20 s or more on a loaded one (CI).
      runTimeoutMs: 60_000,
      scenarios: [
        { name: 'an order shipped and delivered', expect: 'completed', input: orderTo('PT'), whenWaiting: deliver },
        { name: 'an order to an address no carrier serves', expect: 'compensated', input: orderTo('AQ') },
      ],
      invariants: orderInvariants,
    });
    process.stderr.write(`${formatCrashTestReport(report)}\n`);
  }, 600_000);

  it('crashes a worker at every point each scenario reaches: 9 for the delivered order, 13 for the compensated one', () => {
    const [delivered, compensated] = report.scenarios.map((scenario) =>
      scenario.reached.map((point) => `${point.step}/${point.phase}/${point.at}`),
    );
    const run = (step: string) => [`${step}/run/begun`, `${step}/run/ran`, `${step}/run/recorded`];
    const undo = (step: string) => [
      `${step}/compensate/begun`,
      `${step}/compensate/ran`,
      `${step}/compensate/recorded`,
    ];
    expect(delivered).toEqual([...run('reserveInventory'), ...run('chargePayment'), ...run('shipOrder')]);
    expect(compensated).toEqual([
      ...run('reserveInventory'),
      ...run('chargePayment'),
      'shipOrder/run/begun',
      ...undo('chargePayment'),
      ...undo('reserveInventory'),
    ]);
    const runs = report.scenarios.flatMap((scenario) => scenario.runs);
    expect(runs).toHaveLength(22);
    expect(runs.filter((result) => !result.crashed).map((result) => result.label)).toEqual([]);
  });

  it('finds the stock moved or restored once, and the payment captured or refunded once, after every crash', () => {
    assertNoViolations(report);
    expect(report.scenarios.map((scenario) => scenario.runs.map((result) => result.status))).toEqual([
      Array(9).fill('completed'),
      Array(13).fill('compensated'),
    ]);
  });
});
