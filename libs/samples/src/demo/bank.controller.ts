import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BankGateway, type Account, type LedgerEntry } from '../transfer';
import { ApiErrorResponses } from '@sagaflow/server';
import { OpenAccountRequest } from './dto/open-account.request.dto';
import { demoNotFound } from './demo-not-found';

/**
 * Read-outs of the demo bank, so that a transfer's effects (and the invariant on the total) can be watched, plus
 * opening accounts and unfreezing a frozen one.
 */
@ApiTags('demo')
@Controller('demo')
export class BankController {
  constructor(private readonly bank: BankGateway) {}

  /** Every account, and the total computed from the same read so that the two agree. */
  @Get('accounts')
  @ApiOperation({ summary: 'Every account of the demo bank, and their total' })
  @ApiOkResponse({ description: '`{ accounts: [{ id, balanceCents, frozen }], totalCents }`' })
  @ApiErrorResponses(503)
  async listAccounts(): Promise<{ accounts: Account[]; totalCents: number }> {
    const accounts = await this.bank.listAccounts();
    return { accounts, totalCents: accounts.reduce((sum, account) => sum + account.balanceCents, 0) };
  }

  @Get('accounts/:id')
  @ApiOperation({ summary: 'One account' })
  @ApiOkResponse({ description: '`{ id, balanceCents, frozen }`' })
  @ApiErrorResponses([404, 'The bank holds no such account.'], 503)
  async getAccount(@Param('id') id: string): Promise<Account> {
    const account = await this.bank.getAccount(id);
    if (!account) throw demoNotFound(`The bank holds no account "${id}"; GET /demo/accounts lists them.`);
    return account;
  }

  /** Opens the account: 201 with it; an account that exists keeps its balance and is answered as it is. */
  @Post('accounts')
  @ApiOperation({ summary: 'Open an account (an existing one is answered as it is)' })
  @ApiCreatedResponse({ description: '`{ id, balanceCents, frozen }`' })
  @ApiErrorResponses(400, 503)
  openAccount(@Body() request: OpenAccountRequest): Promise<Account> {
    return this.bank.openAccount(request.id, request.balanceCents);
  }

  /** Lets the compensation of a transfer from a `frozen-…` account succeed when it is retried. */
  @Post('accounts/:id/unfreeze')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Unfreeze an account, so that a parked transfer can be retried' })
  @ApiOkResponse({ description: '`{ id, balanceCents, frozen }`' })
  @ApiErrorResponses([404, 'The bank holds no such account.'], 503)
  async unfreeze(@Param('id') id: string): Promise<Account> {
    const account = await this.bank.unfreeze(id);
    if (!account) throw demoNotFound(`The bank holds no account "${id}"; GET /demo/accounts lists them.`);
    return account;
  }

  /** A saga step's operation is recorded under the step's idempotency key, `<sagaId>:<step>:run` or `:compensate`. */
  @Get('ledger/:idempotencyKey')
  @ApiOperation({ summary: 'The operation a step recorded under its idempotency key, and how often it was applied' })
  @ApiOkResponse({
    description: '`{ operation: { idempotencyKey, op, account, amountCents, at, applied }, applications }`',
  })
  @ApiErrorResponses([404, 'No operation is recorded under this key.'], 503)
  async getOperation(
    @Param('idempotencyKey') idempotencyKey: string,
  ): Promise<{ operation: LedgerEntry; applications: number }> {
    const [operation, applications] = await Promise.all([
      this.bank.getOperation(idempotencyKey),
      this.bank.applications(idempotencyKey),
    ]);
    if (!operation) throw demoNotFound(`The ledger records no operation under "${idempotencyKey}".`);
    return { operation, applications };
  }
}
