import { Injectable, Logger } from '@nestjs/common';
import type { SagaData, SagaStep, StepContext } from '@sagaflow/core';
import { BankGateway } from '../gateways/bank.gateway';
import type { PostedOperation } from '../gateways/bank.types';
import type { TransferInput } from '../input/transfer.input';

/** What `debitSource` receives: it runs first, so the input alone. @publicApi */
export type DebitSourceData = SagaData<TransferInput, object>;

/**
 * Takes the amount from the source account; undone by giving it back.
 * @publicApi
 */
@Injectable()
export class DebitSourceStep implements SagaStep<DebitSourceData, PostedOperation> {
  private readonly logger = new Logger(DebitSourceStep.name);

  constructor(private readonly bank: BankGateway) {}

  /** @throws UnknownAccountError, InsufficientFundsError (permanent: nothing to retry, nothing debited) */
  async run({ input }: DebitSourceData, ctx: StepContext): Promise<PostedOperation> {
    const debit = await this.bank.debit(input.fromAccount, input.amountCents, ctx.idempotencyKey);
    this.logger.log({
      message: 'Source debited',
      sagaId: ctx.sagaId,
      transferId: input.transferId,
      account: debit.account,
      amountCents: debit.amountCents,
    });
    return { operationId: debit.idempotencyKey, account: debit.account, amountCents: debit.amountCents };
  }

  /**
   * Gives the debit back. Runs after a failed debit too (`compensateOnFailure`): a timed-out attempt may have
   * debited, so the debit is looked up by the run's idempotency key, and nothing happens if it never applied.
   * @throws BankUnavailableError, AccountFrozenError (transient, retried until the compensation's attempts run
   * out; a frozen account then parks the saga as compensation_failed)
   */
  async compensate({ input }: DebitSourceData, _debit: PostedOperation | undefined, ctx: StepContext): Promise<void> {
    const reverse = await this.bank.reverseDebit(
      input.fromAccount,
      input.amountCents,
      ctx.idempotencyKey,
      ctx.runIdempotencyKey,
    );
    this.logger.log({
      message: reverse.applied ? 'Debit reversed' : 'Debit was never applied; nothing to reverse',
      sagaId: ctx.sagaId,
      transferId: input.transferId,
      account: input.fromAccount,
      amountCents: input.amountCents,
    });
  }
}
