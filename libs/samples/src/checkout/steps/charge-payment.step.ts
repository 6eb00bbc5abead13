import { Injectable, Logger } from '@nestjs/common';
import type { SagaData, SagaStep, StepContext } from '@sagaflow/core';
import type { Reservation } from '../gateways/inventory.types';
import { PaymentGateway } from '../gateways/payment.gateway';
import type { Charge } from '../gateways/payment.types';
import type { CheckoutInput } from '../input/checkout.input';
import type { OrderItemInput } from '../input/order-item.input';

/** What `chargePayment` receives: it runs once the stock is reserved. @publicApi */
export type ChargePaymentData = SagaData<CheckoutInput, { reserveInventory: Reservation }>;

/**
 * Charges the order total to the card; undone by refunding it.
 * @publicApi
 */
@Injectable()
export class ChargePaymentStep implements SagaStep<ChargePaymentData, Charge> {
  private readonly logger = new Logger(ChargePaymentStep.name);

  constructor(private readonly payments: PaymentGateway) {}

  /** @throws CardDeclinedError (permanent), PaymentProcessingError (transient, retried) */
  async run({ input }: ChargePaymentData, ctx: StepContext): Promise<Charge> {
    const charge = await this.payments.charge(
      input.orderId,
      totalCents(input.items),
      input.payment.cardNumber,
      ctx.idempotencyKey,
      ctx.signal,
    );
    this.logger.log({
      message: 'Payment captured',
      sagaId: ctx.sagaId,
      orderId: input.orderId,
      chargeId: charge.chargeId,
      amountCents: charge.amountCents,
    });
    return charge;
  }

  /** @throws RefundRejectedError (transient, retried until the compensation's attempts run out) */
  async compensate({ input }: ChargePaymentData, charge: Charge, ctx: StepContext): Promise<void> {
    const refunded = await this.payments.refund(input.orderId, ctx.idempotencyKey);
    this.logger.log({
      message: refunded ? 'Payment refunded' : 'Payment already refunded',
      sagaId: ctx.sagaId,
      orderId: input.orderId,
      chargeId: charge.chargeId,
    });
  }
}

function totalCents(items: readonly OrderItemInput[]): number {
  return items.reduce((sum, item) => sum + item.quantity * item.priceCents, 0);
}
