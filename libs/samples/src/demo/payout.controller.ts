import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '@sagaflow/server';
import { PayoutRail, type PayoutLogEntry } from '../payout';

/** The demo payout rail's log per merchant: shows that one merchant's payouts never overlap. */
@ApiTags('demo')
@Controller('demo')
export class PayoutController {
  constructor(private readonly rail: PayoutRail) {}

  @Get('payouts/:merchantId')
  @ApiOperation({ summary: "A merchant's payout log: when each attempt started and each payout was sent" })
  @ApiOkResponse({ description: '`{ merchantId, log: [{ event, payoutId, at }] }`' })
  @ApiErrorResponses(503)
  async log(@Param('merchantId') merchantId: string): Promise<{ merchantId: string; log: PayoutLogEntry[] }> {
    return { merchantId, log: await this.rail.log(merchantId) };
  }
}
