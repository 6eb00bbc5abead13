import { Injectable } from '@nestjs/common';
import { defineSaga, type SagaData, type SagaStep, type StepContext } from '@sagaflow/core';
import { IsInt, IsString, Min } from 'class-validator';
import { LedgerService, type LedgerEntry } from './ledger.service';

/** The saga's input, checked before anything is written. */
export class TransferInput {
  @IsString()
  fromAccount!: string;

  @IsString()
  toAccount!: string;

  @IsInt()
  @Min(1)
  amountCents!: number;
}

type DebitData = SagaData<TransferInput, object>;
type CreditData = SagaData<TransferInput, { debit: LedgerEntry }>;

/** Takes the money from the source account; its compensation gives it back. */
@Injectable()
export class DebitStep implements SagaStep<DebitData, LedgerEntry> {
  constructor(private readonly ledger: LedgerService) {}

  async run({ input }: DebitData, ctx: StepContext): Promise<LedgerEntry> {
    return this.ledger.apply({
      kind: 'debit',
      account: input.fromAccount,
      amountCents: input.amountCents,
      key: ctx.idempotencyKey,
    });
  }

  async compensate({ input }: DebitData, debit: LedgerEntry, ctx: StepContext): Promise<void> {
    this.ledger.apply({
      kind: 'refund',
      account: debit.account,
      amountCents: input.amountCents,
      key: ctx.idempotencyKey,
    });
  }
}

/** Pays the destination account; it sees the debit's output, typed. */
@Injectable()
export class CreditStep implements SagaStep<CreditData, LedgerEntry> {
  constructor(private readonly ledger: LedgerService) {}

  async run({ input, outputs }: CreditData, ctx: StepContext): Promise<LedgerEntry> {
    return this.ledger.apply({
      kind: 'credit',
      account: input.toAccount,
      amountCents: outputs.debit.amountCents,
      key: ctx.idempotencyKey,
    });
  }
}

export const transferSaga = defineSaga('transfer', { input: TransferInput })
  .step('debit', DebitStep, { timeout: '5s', retry: { attempts: 3, backoff: '100ms' } })
  .step('credit', CreditStep, { timeout: '5s', retry: { attempts: 3, backoff: '100ms' } })
  .build();
