import { Injectable, Logger } from '@nestjs/common';
import type { SagaData, SagaStep, StepContext } from '@sagaflow/core';
import { BankGateway } from '../gateways/bank.gateway';
import type { PostedOperation } from '../gateways/bank.types';
import type { TransferInput } from '../input/transfer.input';

/** What `creditDestination` receives: it runs once the source is debited. @publicApi */
export type CreditDestinationData = SagaData<TransferInput, { debitSource: PostedOperation }>;

/**
 * Adds the debited amount to the destination account; undone by taking it back.
 * @publicApi
 */
@Injectable()
export class CreditDestinationStep implements SagaStep<CreditDestinationData, PostedOperation> {
  private readonly logger = new Logger(CreditDestinationStep.name);

  constructor(private readonly bank: BankGateway) {}

  /** @throws AccountClosedError, UnknownAccountError (permanent); BankUnavailableError (transient, retried) */
  async run({ input, outputs }: CreditDestinationData, ctx: StepContext): Promise<PostedOperation> {
    // The debited amount, not the input's: the credit must put back into circulation exactly what was taken.
    const { amountCents } = outputs.debitSource;
    const credit = await this.bank.credit(input.toAccount, amountCents, ctx.idempotencyKey, input.reference);
    this.logger.log({
      message: 'Destination credited',
      sagaId: ctx.sagaId,
      transferId: input.transferId,
      account: credit.account,
      amountCents: credit.amountCents,
    });
    return { operationId: credit.idempotencyKey, account: credit.account, amountCents: credit.amountCents };
  }

  /**
   * Takes the credit back. Runs after a failed credit too (`compensateOnFailure`), looking the credit up by the
   * run's idempotency key; nothing happens if it never applied.
   * @throws InsufficientFundsError (permanent) when the destination has spent the money since
   */
  async compensate(
    { input, outputs }: CreditDestinationData,
    _credit: PostedOperation | undefined,
    ctx: StepContext,
  ): Promise<void> {
    const { amountCents } = outputs.debitSource;
    const reverse = await this.bank.reverseCredit(
      input.toAccount,
      amountCents,
      ctx.idempotencyKey,
      ctx.runIdempotencyKey,
    );
    this.logger.log({
      message: reverse.applied ? 'Credit reversed' : 'Credit was never applied; nothing to reverse',
      sagaId: ctx.sagaId,
      transferId: input.transferId,
      account: input.toAccount,
      amountCents,
    });
  }
}
