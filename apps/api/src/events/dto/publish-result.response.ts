import { ApiProperty } from '@nestjs/swagger';
import type { EventRejection, PublishResult } from '@sagaflow/core';
import { FieldErrorResponse } from '@sagaflow/server';

/** A saga the event did not start or resume, and why. */
export class EventRejectionResponse implements EventRejection {
  @ApiProperty({ example: 'loyalty' })
  saga!: string;

  @ApiProperty({
    required: false,
    description: 'Set when a waiting saga refused the event (its payload does not fit).',
  })
  sagaId?: string;

  @ApiProperty({ example: 'The payload is not a valid input of saga "loyalty".' })
  reason!: string;

  @ApiProperty({ type: [FieldErrorResponse], required: false })
  errors?: FieldErrorResponse[];
}

/** `POST /events`: what publishing did. A repeated event id answers the first publish's result. */
export class PublishResultResponse implements PublishResult {
  @ApiProperty({ example: 'order-1234-placed' })
  eventId!: string;

  @ApiProperty({ type: [String], description: 'Ids of the sagas the event started.' })
  started!: string[];

  @ApiProperty({ type: [String], description: 'Ids of the sagas whose wait it ended.' })
  resumed!: string[];

  @ApiProperty({ type: [EventRejectionResponse] })
  rejected!: EventRejectionResponse[];
}
