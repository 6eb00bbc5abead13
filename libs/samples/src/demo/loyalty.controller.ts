import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LoyaltyGateway, type LoyaltyMember } from '../loyalty';
import { ApiErrorResponses } from '@sagaflow/server';
import { demoNotFound } from './demo-not-found';

/** Read-out of the demo loyalty programme, so that a loyalty saga's effects can be watched. */
@ApiTags('demo')
@Controller('demo')
export class LoyaltyController {
  constructor(private readonly loyalty: LoyaltyGateway) {}

  /** The member's points and messages, oldest first: 404 until the programme has sent them a first message. */
  @Get('loyalty/:memberId')
  @ApiOperation({ summary: "A loyalty member's points and messages" })
  @ApiOkResponse({ description: '`{ memberId, points, notifications }`' })
  @ApiErrorResponses([404, 'The programme has not written to this member yet.'])
  async getMember(@Param('memberId') memberId: string): Promise<LoyaltyMember> {
    const member = await this.loyalty.getMember(memberId);
    if (!member) throw demoNotFound(`The loyalty programme has never heard of member "${memberId}".`);
    return member;
  }
}
